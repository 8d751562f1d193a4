using System.Net;
using System.Net.Sockets;

namespace Forwarder.Tests.Health;

/// <summary>
/// A TCP server on 127.0.0.1 for probes to reach: it accepts every connection and hands it to a
/// handler, until disposed; after that the port refuses connections. Sockets are closed by the server
/// when the handler returns.
/// </summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private readonly Func<Socket, CancellationToken, Task> _handler;
    private int _accepted;

    private LoopbackServer(Socket listener, Func<Socket, CancellationToken, Task> handler)
    {
        _listener = listener;
        _handler = handler;
        Port = (ushort)((IPEndPoint)listener.LocalEndPoint!).Port;
        _acceptLoop = Task.Run(AcceptAsync);
    }

    public ushort Port { get; }

    /// <summary>Connections accepted so far.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>A server on <paramref name="port"/> (0 = any free port).</summary>
    public static LoopbackServer Start(Func<Socket, CancellationToken, Task> handler, ushort port = 0)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
        listener.Listen(64);
        return new LoopbackServer(listener, handler);
    }

    /// <summary>A server that accepts and, once the client has gone, closes.</summary>
    public static LoopbackServer Accepting(ushort port = 0) => Start(WaitForClose, port);

    /// <summary>An HTTP server answering every request with <paramref name="response"/> (raw bytes, as ASCII).</summary>
    public static LoopbackServer Http(string response, Action<string>? onRequest = null) => Start(async (socket, cancellationToken) =>
    {
        string request = await ReadRequestAsync(socket, cancellationToken);
        onRequest?.Invoke(request);
        await socket.SendAsync(System.Text.Encoding.ASCII.GetBytes(response), SocketFlags.None, cancellationToken);
        socket.Shutdown(SocketShutdown.Send);
        await WaitForClose(socket, cancellationToken);
    });

    public static async Task<string> ReadRequestAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        int filled = 0;
        while (filled < buffer.Length)
        {
            int received = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, cancellationToken);
            if (received == 0)
                break;
            filled += received;
            if (buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8) >= 0)
                break;
        }
        return System.Text.Encoding.ASCII.GetString(buffer, 0, filled);
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Dispose();
        await _acceptLoop;
        _stop.Dispose();
    }

    private static async Task WaitForClose(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[256];
        while (await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken) > 0)
        {
        }
    }

    private async Task AcceptAsync()
    {
        List<Task> connections = [];
        try
        {
            while (true)
            {
                Socket socket = await _listener.AcceptAsync(_stop.Token);
                Interlocked.Increment(ref _accepted);
                connections.Add(Task.Run(() => ServeAsync(socket)));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
        await Task.WhenAll(connections);
    }

    private async Task ServeAsync(Socket socket)
    {
        try
        {
            await _handler(socket, _stop.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The client reset the connection or the server stopped.
        }
        finally
        {
            socket.Dispose();
        }
    }
}
