using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Forwarder.Announce;

/// <summary>
/// The file BIRD's configuration includes: two whole static protocols, <c>forwarder_vips4</c> and <c>forwarder_vips6</c>,
/// each always present (possibly with no route), each route a host route via the liveness device — when the device goes,
/// BIRD withdraws them. Rendering depends only on its inputs, so an unchanged set renders the same bytes.
/// </summary>
public static class BirdIncludeFile
{
    public const string Protocol4 = "forwarder_vips4";
    public const string Protocol6 = "forwarder_vips6";
    public const string Header = "# written by forwarder; do not edit";

    /// <summary>The file's mode: the forwarder writes it, anyone (BIRD) reads it.</summary>
    public const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    public static string Render(IEnumerable<IPAddress> addresses, string device)
    {
        IPAddress[] all = addresses.Distinct().ToArray();
        var text = new StringBuilder();
        text.Append(Header).Append('\n');
        Protocol(text, Protocol4, "ipv4", all.Where(a => a.AddressFamily == AddressFamily.InterNetwork), 32, device);
        Protocol(text, Protocol6, "ipv6", all.Where(a => a.AddressFamily == AddressFamily.InterNetworkV6), 128, device);
        return text.ToString();
    }

    private static void Protocol(StringBuilder text, string name, string channel, IEnumerable<IPAddress> addresses, int prefix, string device)
    {
        text.Append("protocol static ").Append(name).Append(" { ").Append(channel).Append(';');
        foreach (IPAddress address in addresses.OrderBy(a => a.ToString(), StringComparer.Ordinal))
            text.Append(" route ").Append(address).Append('/').Append(prefix).Append(" via \"").Append(device).Append("\";");
        text.Append(" }\n");
    }

    /// <summary>
    /// Writes <paramref name="content"/> to <paramref name="path"/> atomically: a temporary file in the same directory
    /// (created if missing), flushed, given mode 0644, then renamed over the old one, so BIRD never reads half a file.
    /// Returns null, or the error.
    /// </summary>
    public static string? Write(string path, string content)
    {
        string? directory = Path.GetDirectoryName(path);
        string temporary = $"{path}.tmp-{Environment.ProcessId}";
        try
        {
            if (!string.IsNullOrEmpty(directory))
                Directory.CreateDirectory(directory);
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                stream.Write(Encoding.UTF8.GetBytes(content));
                stream.Flush(flushToDisk: true);
            }
            // BIRD usually runs as a user of its own: it must read the file whatever the forwarder's umask.
            File.SetUnixFileMode(temporary, Mode);
            File.Move(temporary, path, overwrite: true);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            TryDelete(temporary);
            return $"cannot write {path}: {e.Message}";
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A left-over temporary file is overwritten by the next write.
        }
    }

    /// <summary>
    /// Null when the forwarder may write <paramref name="path"/>: it is missing, or it starts with <see cref="Header"/>.
    /// Otherwise the error: a mistyped <c>include_file</c> must never overwrite BIRD's own configuration or any other file.
    /// </summary>
    public static string? RefuseForeign(string path)
    {
        string? current = ReadCurrent(path);
        if (current is null ? !File.Exists(path) && !Directory.Exists(path) : current.StartsWith(Header, StringComparison.Ordinal))
            return null;
        return $"{path} exists and was not written by the forwarder (it does not start with '{Header}'); not overwriting it: " +
            "give announce.include_file a file of its own, or remove that one";
    }

    /// <summary>The file's text now, or null when it is missing or unreadable (then it is written again).</summary>
    public static string? ReadCurrent(string path)
    {
        try
        {
            var info = new FileInfo(path);
            return info.Exists && info.Length <= 16 << 20 ? File.ReadAllText(path) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
