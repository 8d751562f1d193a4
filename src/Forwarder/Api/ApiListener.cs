using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Forwarder.Interop;

namespace Forwarder.Api;

/// <summary>
/// The control API's listening socket as a descriptor this process owns, handed to Kestrel (<c>ListenHandle</c>): bound
/// here, or adopted from an upgrade's predecessor, which hands over the socket it listens on so that a connection in the
/// hand-over waits in the socket's backlog instead of being refused.
/// </summary>
public static class ApiListener
{
    /// <summary>Kestrel's default backlog.</summary>
    private const int Backlog = 512;

    /// <summary>
    /// A new socket listening on <paramref name="address"/>, a Unix socket bound at <paramref name="boundPath"/>. Kestrel
    /// is given a copy (<see cref="Copy"/>); keep this one until a Unix socket's file is published: disposing it removes
    /// the file at the path it was bound to.
    /// </summary>
    /// <exception cref="IOException">The address cannot be bound (in use, no permission...).</exception>
    public static Socket Bind(ApiAddress address, string? boundPath)
    {
        EndPoint endPoint = boundPath is not null ? new UnixDomainSocketEndPoint(boundPath) : address.EndPoint!;
        var socket = boundPath is not null
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(endPoint);
            socket.Listen(Backlog);
            return socket;
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new IOException($"{address}: {e.Message}", e);
        }
    }

    /// <summary>A descriptor of <paramref name="socket"/> of its own (close-on-exec), for Kestrel to own.</summary>
    public static int Copy(Socket socket)
    {
        int fd = Posix.Fcntl((int)socket.Handle, Posix.F_DUPFD_CLOEXEC, 3);
        if (fd < 0)
            throw new IOException($"fcntl(F_DUPFD_CLOEXEC) of the API's socket: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        return fd;
    }

    /// <summary>
    /// <paramref name="fd"/> when it is a listening socket of <paramref name="address"/>'s kind (and port); otherwise closes
    /// it and throws <see cref="IOException"/> naming what it is.
    /// </summary>
    public static int Adopt(int fd, ApiAddress address)
    {
        string? wrong;
        try
        {
            using var socket = new Socket(new SafeSocketHandle(fd, ownsHandle: false));
            wrong = Mismatch(socket, address);
        }
        catch (Exception e) when (e is SocketException or ArgumentException or NotSupportedException or InvalidOperationException)
        {
            wrong = $"not a socket ({e.Message})";
        }
        if (wrong is null)
            return fd;
        Posix.Close(fd);
        throw new IOException($"the API socket handed over (fd {fd}) is {wrong}");
    }

    /// <summary>The port a TCP listener is bound to; 0 for a Unix socket.</summary>
    public static int Port(int fd)
    {
        using var socket = new Socket(new SafeSocketHandle(fd, ownsHandle: false));
        return socket.LocalEndPoint is IPEndPoint local ? local.Port : 0;
    }

    /// <summary>
    /// Before a process that handed its listener over closes its copy: with close-on-exec cleared, .NET treats the socket as
    /// shared and does not disconnect it to unblock a pending accept (which would end listening for the successor too).
    /// </summary>
    public static void MarkShared(int fd) => Posix.Fcntl(fd, Posix.F_SETFD, 0);

    private static string? Mismatch(Socket socket, ApiAddress address)
    {
        if (socket.SocketType != SocketType.Stream)
            return $"a {socket.SocketType} socket, not a stream one";
        if (socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.AcceptConnection) is not int listening || listening == 0)
            return "not listening";
        if (address.SocketPath is not null)
            return socket.AddressFamily == AddressFamily.Unix ? null : $"an {socket.AddressFamily} socket, not a Unix one";
        if (socket.LocalEndPoint is not IPEndPoint local || !local.Address.Equals(address.EndPoint!.Address))
            return $"bound to {socket.LocalEndPoint}, not {address}";
        return address.EndPoint.Port == 0 || local.Port == address.EndPoint.Port ? null : $"bound to {local}, not {address}";
    }
}
