using System.Net.Sockets;
using System.Runtime.InteropServices;
using Forwarder.Interop;
using System.Security.Cryptography;
using System.Text;

namespace Forwarder.Api;

/// <summary>
/// The API's Unix socket file, created so that it is never reachable with a wider mode than 0660 and never
/// replaces anything but a socket left behind.
/// <para>
/// Binding creates the socket file with mode 0777 minus the umask, and the umask is process-wide: setting
/// it around the bind would change the mode of every file other threads create meanwhile, and a chmod
/// after the bind leaves a moment where anyone may connect. Instead Kestrel binds inside a fresh directory
/// of mode 0700 next to the final path (created with mkdir, which fails if the name exists: nobody else
/// can own it); the socket's mode is set to 0660 there, then it is renamed into place — atomically, so at
/// its path it appears with its final mode (replacing a stale socket in the same step) — and the private
/// directory is removed. Directories missing on the way are created with mode 0750 whatever the umask.
/// </para>
/// </summary>
internal static class UnixSocketFile
{
    public const UnixFileMode SocketMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite;

    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute;

    private const UnixFileMode PrivateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>sun_path holds 108 bytes with the terminating NUL.</summary>
    private const int MaxPathBytes = 107;

    private const string PrivatePrefix = ".api-";
    private const string BoundName = "s";
    private const int Eexist = 17;

    /// <summary>The private directory's path beside the socket is this much longer than the socket's directory.</summary>
    private static readonly int PrivateOverhead = 1 + PrivatePrefix.Length + 12 + 1 + BoundName.Length;

    /// <summary>Why <paramref name="path"/> cannot be the API's socket (it holds something else, or is too long); null when it can.</summary>
    /// <exception cref="IOException">The path cannot be examined.</exception>
    public static string? Refusal(string path)
    {
        string directory = Path.GetDirectoryName(path)!;
        if (Encoding.UTF8.GetByteCount(path) > MaxPathBytes || Encoding.UTF8.GetByteCount(directory) + PrivateOverhead > MaxPathBytes)
            return $"--api unix:{path}: too long for a Unix socket; give a path of at most {MaxPathBytes - PrivateOverhead} bytes";
        FileKind kind = FileKinds.Of(path);
        return kind is FileKind.Missing or FileKind.Socket
            ? null
            : $"--api unix:{path}: {path} is {FileKinds.Describe(kind)}, not a socket, and is left as it is; give the path of a new socket (or remove what is there)";
    }

    /// <summary>Checks the path and creates its missing directories (mode 0750).</summary>
    /// <exception cref="IOException">The path holds something other than a socket, or another process answers on the socket there.</exception>
    public static void Prepare(string path)
    {
        if (Refusal(path) is { } refusal)
            throw new IOException(refusal);
        CreateDirectories(Path.GetDirectoryName(path)!);
        if (FileKinds.Of(path) != FileKind.Socket)
            return;
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
        }
        catch (SocketException)
        {
            return; // nobody listens: left behind by an instance that was killed; the new socket replaces it
        }
        throw new IOException($"another process answers on {path}; is another forwarder running with the same --api?");
    }

    /// <summary>Creates a fresh private directory (0700) beside <paramref name="path"/>; returns the path to bind in it.</summary>
    public static string PrivateBindPath(string path)
    {
        string directory = Path.GetDirectoryName(path)!;
        for (int attempt = 0; ; attempt++)
        {
            string candidate = Path.Combine(directory, PrivatePrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)));
            if (Posix.Mkdir(candidate, (uint)PrivateMode) == 0)
                return Path.Combine(candidate, BoundName);
            int errno = Marshal.GetLastPInvokeError();
            if (errno != Eexist || attempt == 3)
                throw new IOException($"cannot create a directory in {directory} for the API's socket: {Marshal.GetPInvokeErrorMessage(errno)}");
        }
    }

    /// <summary>Gives the socket bound at <paramref name="boundPath"/> its mode and moves it to <paramref name="path"/>.</summary>
    public static void Publish(string boundPath, string path)
    {
        File.SetUnixFileMode(boundPath, SocketMode);
        File.Move(boundPath, path, overwrite: true); // rename(2): a stale socket there is replaced in the same step
        Discard(boundPath);
    }

    /// <summary>Removes the private directory of <paramref name="boundPath"/> and whatever is left in it.</summary>
    public static void Discard(string boundPath)
    {
        string directory = Path.GetDirectoryName(boundPath)!;
        if (Directory.Exists(directory))
            Directory.Delete(directory, recursive: true);
    }

    /// <summary>Creates the missing directories of <paramref name="directory"/>, top-down, each with mode 0750 whatever the umask.</summary>
    private static void CreateDirectories(string directory)
    {
        var missing = new Stack<string>();
        for (string? d = directory; d is not null && FileKinds.Of(d, followLink: true) == FileKind.Missing; d = Path.GetDirectoryName(d))
            missing.Push(d);
        while (missing.TryPop(out string? d))
        {
            if (Posix.Mkdir(d, (uint)DirectoryMode) != 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno == Eexist)
                    continue; // created meanwhile by someone else: theirs, left as it is
                throw new IOException($"cannot create {d} for the API's socket: {Marshal.GetPInvokeErrorMessage(errno)}");
            }
            File.SetUnixFileMode(d, DirectoryMode); // mkdir's mode lost what the umask masks; never more than 0750 meanwhile
        }
    }
}
