using System.Net;
using System.Net.Sockets;

namespace Forwarder.Tests.Health;

/// <summary>
/// A loopback port that never completes a handshake, the way a host that went silent behaves: it
/// listens with a backlog of 0 and is never accepted from, and its one queue place is taken by a
/// filler connection. Linux drops further SYNs (and resends one only after 1 s), so a connect to it
/// waits for its timeout. (A port that merely never accepts is no good: the kernel completes the
/// handshake into the backlog.)
/// </summary>
internal sealed class SilentPort : IDisposable
{
    private readonly Socket _listener;
    private readonly List<Socket> _fillers = [];

    private SilentPort(Socket listener) => _listener = listener;

    public ushort Port => (ushort)((IPEndPoint)_listener.LocalEndPoint!).Port;

    public static async Task<SilentPort> CreateAsync()
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        var port = new SilentPort(listener);
        // Fill the queue until a connect hangs; a few connections at most.
        for (int i = 0; i < 8; i++)
        {
            var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            port._fillers.Add(filler);
            using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            try
            {
                await filler.ConnectAsync(listener.LocalEndPoint!, timeout.Token);
            }
            catch (OperationCanceledException) when (listener.Poll(0, SelectMode.SelectRead))
            {
                return port; // the queue holds a connection and refuses the next
            }
            catch (OperationCanceledException)
            {
                // This handshake was lost for another reason: try again.
            }
        }
        port.Dispose();
        throw new InvalidOperationException("the listen queue never filled up");
    }

    public void Dispose()
    {
        foreach (Socket filler in _fillers)
            filler.Dispose();
        _listener.Dispose();
    }
}
