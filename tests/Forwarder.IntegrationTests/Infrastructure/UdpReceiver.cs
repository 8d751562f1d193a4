using System.Net;
using System.Net.Sockets;

namespace Forwarder.IntegrationTests.Infrastructure;

/// <summary>
/// A UDP socket bound inside a namespace, drained by a background thread that counts the distinct
/// test datagrams of each run (duplicates are counted apart).
/// </summary>
public sealed class UdpReceiver : IDisposable
{
    private const int ReceiveBufferBytes = 8 << 20; // SO_RCVBUFFORCE: above rmem_max, root only
    private readonly Socket _socket;
    private readonly Thread _thread;
    private readonly Dictionary<uint, HashSet<long>> _seen = [];
    private volatile bool _stopping;
    private long _duplicates;
    private long _foreign;

    private UdpReceiver(Socket socket, string name)
    {
        _socket = socket;
        _thread = new Thread(Drain) { IsBackground = true, Name = $"udp receiver {name}" };
        _thread.Start();
    }

    public IPEndPoint LocalEndpoint => (IPEndPoint)_socket.LocalEndPoint!;
    public long Duplicates => Interlocked.Read(ref _duplicates);

    /// <summary>Datagrams that were not test datagrams.</summary>
    public long Foreign => Interlocked.Read(ref _foreign);

    public static UdpReceiver Start(NetworkNamespace ns, IPEndPoint endpoint)
    {
        Socket socket = ns.RunInside(() =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            s.SetRawSocketOption(LibC.SOL_SOCKET, LibC.SO_RCVBUFFORCE, BitConverter.GetBytes(ReceiveBufferBytes));
            s.Bind(endpoint);
            return s;
        });
        socket.ReceiveTimeout = 100;
        return new UdpReceiver(socket, $"{ns.Name} {endpoint}");
    }

    public int CountOf(uint runId)
    {
        lock (_seen)
            return _seen.TryGetValue(runId, out HashSet<long>? set) ? set.Count : 0;
    }

    /// <summary>Waits until <paramref name="expected"/> distinct datagrams of the run arrived; false on timeout.</summary>
    public bool WaitFor(uint runId, int expected, TimeSpan timeout) =>
        Wait.Until(() => CountOf(runId) >= expected, timeout, TimeSpan.FromMilliseconds(10));

    /// <summary>Sequence numbers in [0, count) that did not arrive (at most <paramref name="limit"/>).</summary>
    public IReadOnlyList<long> Missing(uint runId, long count, int limit = 20)
    {
        lock (_seen)
        {
            _seen.TryGetValue(runId, out HashSet<long>? set);
            var missing = new List<long>();
            for (long sequence = 0; sequence < count && missing.Count < limit; sequence++)
            {
                if (set is null || !set.Contains(sequence))
                    missing.Add(sequence);
            }
            return missing;
        }
    }

    private void Drain()
    {
        var buffer = new byte[2048];
        while (!_stopping)
        {
            int length;
            try
            {
                length = _socket.Receive(buffer);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
            {
                continue;
            }
            catch (Exception) when (_stopping)
            {
                return;
            }
            Record(buffer.AsSpan(0, length));
        }
    }

    private void Record(ReadOnlySpan<byte> datagram)
    {
        if (!DatagramPayload.TryRead(datagram, out uint runId, out long sequence))
        {
            Interlocked.Increment(ref _foreign);
            return;
        }
        lock (_seen)
        {
            if (!_seen.TryGetValue(runId, out HashSet<long>? set))
                _seen[runId] = set = [];
            if (!set.Add(sequence))
                Interlocked.Increment(ref _duplicates);
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _thread.Join(TimeSpan.FromSeconds(2)); // the receive timeout is 100 ms
        _socket.Dispose();
    }
}
