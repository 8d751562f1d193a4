using System.Net;
using System.Net.Sockets;
using System.Text;
using Forwarder.IntegrationTests.Infrastructure;

namespace Forwarder.IntegrationTests.ControlPlane;

/// <summary>
/// A long-lived connection: an HTTP request sent all but its final empty line, so the server waits;
/// <see cref="Complete"/> sends the rest and returns the body (the backend's name), or the error that
/// broke the connection meanwhile.
/// </summary>
public sealed class PendingRequest : IDisposable
{
    private readonly Socket _socket;

    private PendingRequest(Socket socket, int localPort)
    {
        _socket = socket;
        LocalPort = localPort;
    }

    public int LocalPort { get; }

    public static PendingRequest Open(NetworkNamespace from, IPEndPoint local, IPEndPoint server)
    {
        Socket socket = from.RunInside(() =>
        {
            var s = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            s.Bind(local);
            return s;
        });
        socket.LingerState = new LingerOption(true, 0);
        socket.SendTimeout = socket.ReceiveTimeout = 3000;
        socket.Connect(server);
        socket.Send(Encoding.ASCII.GetBytes($"GET / HTTP/1.0\r\nHost: {server.Address}\r\n"));
        return new PendingRequest(socket, local.Port);
    }

    /// <summary>The backend that answered, or null with <paramref name="error"/> when the connection broke.</summary>
    public string? Complete(out string? error)
    {
        error = null;
        try
        {
            _socket.Send("\r\n"u8);
            var response = new MemoryStream();
            var buffer = new byte[4096];
            for (int read; (read = _socket.Receive(buffer)) > 0;)
                response.Write(buffer, 0, read);
            string text = Encoding.ASCII.GetString(response.ToArray());
            int body = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (!text.StartsWith("HTTP/1.1 200", StringComparison.Ordinal) || body < 0)
            {
                error = $"not a 200 answer: '{text}'";
                return null;
            }
            return text[(body + 4)..].Trim();
        }
        catch (SocketException e)
        {
            error = e.Message;
            return null;
        }
    }

    public void Dispose() => _socket.Dispose();
}
