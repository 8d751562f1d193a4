using System.Net;
using System.Net.Sockets;
using Forwarder.IntegrationTests.Infrastructure;

namespace Forwarder.IntegrationTests.Decap;

/// <summary>A UDP socket (IPv4 or IPv6) bound inside a namespace; the test reads what queued up once it has sent.</summary>
public sealed class DatagramListener : IDisposable
{
    private readonly Socket _socket;
    private readonly HashSet<long> _sequences = [];
    private readonly uint _runId;

    private DatagramListener(Socket socket, uint runId)
    {
        _socket = socket;
        _runId = runId;
    }

    public static DatagramListener Start(NetworkNamespace ns, IPEndPoint endpoint, uint runId)
    {
        Socket socket = ns.RunInside(() =>
        {
            var s = new Socket(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            s.Bind(endpoint);
            return s;
        });
        return new DatagramListener(socket, runId);
    }

    /// <summary>Collects this run's datagrams until <paramref name="expected"/> distinct ones came or the time is up; returns how many came.</summary>
    public int Collect(int expected, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var buffer = new byte[2048];
        for (int datagrams = 0; datagrams < 10_000 && _sequences.Count < expected; datagrams++)
        {
            TimeSpan left = timeout - clock.Elapsed;
            if (left <= TimeSpan.Zero || !_socket.Poll(left, SelectMode.SelectRead))
                break;
            int length = _socket.Receive(buffer);
            if (DatagramPayload.TryRead(buffer.AsSpan(0, length), out uint runId, out long sequence) && runId == _runId)
                _sequences.Add(sequence);
        }
        return _sequences.Count;
    }

    public void Dispose() => _socket.Dispose();
}
