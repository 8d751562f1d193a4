using Forwarder.Configuration;

namespace Forwarder.Api;

/// <summary>
/// Reads a configuration file for a reload. Opened with <see cref="FileShare.ReadWrite"/> and
/// <see cref="FileShare.Delete"/>: .NET's file APIs take advisory locks, and a reload must neither fail
/// because an editor has the file open nor get in the way of the editor replacing it.
/// </summary>
public static class ConfigFileText
{
    /// <summary>Tries before giving up on a file another process holds an exclusive lock on, and the pause between tries.</summary>
    private const int Attempts = 10;
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(100);

    /// <exception cref="IOException">The file cannot be read (still locked after about a second, missing...), or is larger than a configuration may be.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    public static string Read(string path)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return ReadOnce(path);
            }
            catch (IOException e) when (attempt < Attempts && e is not (FileNotFoundException or DirectoryNotFoundException or TooLargeException))
            {
                Thread.Sleep(Pause); // most likely a writer holding an exclusive lock for a moment
            }
        }
    }

    private static string ReadOnce(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (stream.Length > ForwarderConfigLoader.MaxFileBytes)
            throw new TooLargeException($"the file is {stream.Length} bytes; a configuration file may have at most {ForwarderConfigLoader.MaxFileBytes}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private sealed class TooLargeException(string message) : IOException(message);
}
