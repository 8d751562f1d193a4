using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Forwarder.IntegrationTests.Infrastructure;

/// <summary>
/// One HTTP/1.0 GET over a TCP connection from a chosen local endpoint, so the 5-tuple is known. The
/// server closes after answering; the client then closes with an RST (linger 0), which leaves no
/// TIME_WAIT at either end: the same 5-tuple can connect again at once.
/// </summary>
public static class HttpExchange
{
    private const int MaxResponseBytes = 64 * 1024;

    /// <summary>The response body, or throws <see cref="IOException"/> saying what went wrong.</summary>
    public static string Get(NetworkNamespace from, IPEndPoint local, IPEndPoint server, TimeSpan timeout)
    {
        using Socket socket = from.RunInside(() =>
        {
            var s = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            s.Bind(local);
            return s;
        });
        socket.LingerState = new LingerOption(true, 0);
        socket.SendTimeout = socket.ReceiveTimeout = (int)timeout.TotalMilliseconds;
        try
        {
            Connect(socket, server, timeout);
            socket.Send(Encoding.ASCII.GetBytes($"GET / HTTP/1.0\r\nHost: {server.Address}\r\n\r\n"));
            return Body(ReadToEnd(socket), local, server);
        }
        catch (SocketException e)
        {
            throw new IOException($"GET http://{server}/ from {local}: {e.GetBaseException().Message}", e);
        }
    }

    /// <summary>
    /// Connects within <paramref name="timeout"/> on the calling thread alone (non-blocking connect, then
    /// poll): an asynchronous connect would complete on the thread pool, and a test thread that blocks a
    /// pool thread could then delay it by the pool's half-second thread injection.
    /// </summary>
    private static void Connect(Socket socket, IPEndPoint server, TimeSpan timeout)
    {
        socket.Blocking = false;
        try
        {
            socket.Connect(server);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
        {
        }
        if (!socket.Poll(timeout, SelectMode.SelectWrite))
            throw new SocketException((int)SocketError.TimedOut);
        var error = (SocketError)(int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)!;
        if (error != SocketError.Success)
            throw new SocketException((int)error);
        socket.Blocking = true;
    }

    private static string ReadToEnd(Socket socket)
    {
        var response = new MemoryStream();
        var buffer = new byte[4096];
        for (int read; response.Length < MaxResponseBytes && (read = socket.Receive(buffer)) > 0;)
            response.Write(buffer, 0, read);
        return Encoding.ASCII.GetString(response.ToArray());
    }

    private static string Body(string response, IPEndPoint local, IPEndPoint server)
    {
        int end = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (!response.StartsWith("HTTP/1.", StringComparison.Ordinal) || end < 0 || !response.Split(' ', 3)[1].Equals("200", StringComparison.Ordinal))
            throw new IOException($"GET http://{server}/ from {local}: not a 200 response: '{response}'");
        return response[(end + 4)..];
    }
}
