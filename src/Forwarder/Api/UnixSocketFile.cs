using System.Net.Sockets;

namespace Forwarder.Api;

/// <summary>Prepares the path of the API's Unix socket: its directory exists, and a socket left behind by a killed instance is removed.</summary>
internal static class UnixSocketFile
{
    /// <exception cref="IOException">Another process answers on the socket.</exception>
    public static void Prepare(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (!File.Exists(path))
            return;
        using (var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            try
            {
                probe.Connect(new UnixDomainSocketEndPoint(path));
                throw new IOException($"another process answers on {path}; is another forwarder running with the same --api?");
            }
            catch (SocketException)
            {
                // Nobody listens: left behind by an instance that was killed.
            }
        }
        File.Delete(path);
    }

    /// <summary>Owner and group may connect; nobody else.</summary>
    public static void Restrict(string path) =>
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite);
}
