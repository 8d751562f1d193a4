using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Forwarder.IntegrationTests.Infrastructure;

/// <summary>
/// UDP sockets inside a namespace, one per source port. Datagrams go round-robin over them, so a
/// batch is many flows and the flow hash spreads it over the receiving device's queues.
/// </summary>
public sealed class UdpSender : IDisposable
{
    private const int Burst = 32;
    private readonly Socket[] _sockets;

    private UdpSender(Socket[] sockets) => _sockets = sockets;

    public int SourcePorts => _sockets.Length;

    /// <summary>The source port of each socket, in the order datagrams are spread over them.</summary>
    public IReadOnlyList<int> LocalPorts => _sockets.Select(s => ((IPEndPoint)s.LocalEndPoint!).Port).ToArray();

    public static UdpSender Create(NetworkNamespace ns, int sourcePorts = 1)
    {
        Socket[] sockets = ns.RunInside(() =>
        {
            var created = new Socket[sourcePorts];
            for (int i = 0; i < sourcePorts; i++)
            {
                created[i] = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                created[i].Bind(new IPEndPoint(IPAddress.Any, 0));
            }
            return created;
        });
        return new UdpSender(sockets);
    }

    /// <summary>
    /// Sends datagrams 0..count-1 of <paramref name="runId"/> at about <paramref name="packetsPerSecond"/>,
    /// in bursts of <see cref="Burst"/>. Returns the time it took.
    /// </summary>
    public TimeSpan Send(IPEndPoint destination, uint runId, int count, int packetsPerSecond = 20_000, int payloadBytes = 64)
    {
        var payload = new byte[Math.Max(payloadBytes, DatagramPayload.HeaderLength)];
        var clock = Stopwatch.StartNew();
        for (int sequence = 0; sequence < count; sequence++)
        {
            DatagramPayload.Write(payload, runId, sequence);
            _sockets[sequence % _sockets.Length].SendTo(payload, destination);
            if ((sequence + 1) % Burst == 0)
                Pace(clock, sequence + 1, packetsPerSecond);
        }
        return clock.Elapsed;
    }

    private static void Pace(Stopwatch clock, int sent, int packetsPerSecond)
    {
        TimeSpan due = TimeSpan.FromSeconds((double)sent / packetsPerSecond);
        TimeSpan ahead = due - clock.Elapsed;
        if (ahead > TimeSpan.Zero)
            Thread.Sleep(ahead);
    }

    public void Dispose()
    {
        foreach (Socket socket in _sockets)
            socket.Dispose();
    }
}
