using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using Forwarder.IntegrationTests.Infrastructure;
using Xunit.Abstractions;
using static Forwarder.IntegrationTests.LoadBalancing.BackendPoolTopology;

namespace Forwarder.IntegrationTests.LoadBalancing;

/// <summary>
/// A quic VIP (ipip) beside the topology's own: real UDP datagrams carrying a QUIC short header with each backend's
/// server id (connection-id v1), sent from many client ports, reach the backend of their id, where Maglev alone
/// would have spread them over the backends.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class QuicLoadBalancingTests(ITestOutputHelper output)
{
    private const int QuicPort = 4433;
    private const int ClientPortsPerId = 8;
    private const int DatagramsPerPort = 3;
    private static readonly TimeSpan ReceiveBound = TimeSpan.FromSeconds(10);

    /// <summary>Backend i has server id 100 + i.</summary>
    private static uint ServerIdOf(int backend) => (uint)(100 + backend);

    [RootFact]
    public void Datagrams_with_a_server_id_reach_its_backend_from_every_client_port()
    {
        var quicVip = new VipBuilder($"{Vip}", QuicPort, "udp").Mode("ipip").Quic();
        for (int b = 0; b < BackendAddresses.Count; b++)
            quicVip.QuicBackend($"{BackendAddresses[b]}", ServerIdOf(b));
        using LoadBalancerUnderTest lb = LoadBalancerUnderTest.Start(LoadBalancingMode.Ipip, moreVips: quicVip.ToYaml());
        var receivers = lb.Backends.Select(b => b.Namespace.RunInside(() => Bound(new IPEndPoint(Vip, QuicPort)))).ToArray();
        try
        {
            var prediction = new MaglevPrediction(lb.Backends);
            int maglevElsewhere = 0;
            var sent = new List<(int Backend, int ClientPort)>();
            for (int b = 0; b < lb.Backends.Count; b++)
            {
                for (int p = 0; p < ClientPortsPerId; p++)
                {
                    int clientPort = 30000 + 100 * b + p;
                    SendFrom(lb.Topology.Client, clientPort, ShortHeader(ServerIdOf(b), b, p));
                    sent.Add((b, clientPort));
                    if (prediction.BackendOf(ClientAddress, clientPort, QuicPort).Name != lb.Backends[b].Name)
                        maglevElsewhere++;
                }
            }

            var received = receivers.Select(_ => new List<(int Backend, int ClientPort)>()).ToArray();
            var clock = Stopwatch.StartNew();
            while (received.Sum(r => r.Count) < sent.Count * DatagramsPerPort && clock.Elapsed < ReceiveBound)
            {
                for (int r = 0; r < receivers.Length; r++)
                    Drain(receivers[r], received[r]);
            }

            for (int r = 0; r < receivers.Length; r++)
                output.WriteLine($"{lb.Backends[r]}: {received[r].Count} datagrams");
            output.WriteLine(lb.Stop() is { } report ? lb.FinalLine : "");
            Assert.True(received.Sum(r => r.Count) == sent.Count * DatagramsPerPort,
                $"{received.Sum(r => r.Count)} of {sent.Count * DatagramsPerPort} datagrams arrived within {ReceiveBound.TotalSeconds:0} s\n{lb.Describe()}");
            for (int r = 0; r < receivers.Length; r++)
            {
                string[] strays = received[r].Where(d => d.Backend != r).Select(d => $"id {ServerIdOf(d.Backend)} from port {d.ClientPort}").ToArray();
                Assert.True(strays.Length == 0, $"{lb.Backends[r]} (server id {ServerIdOf(r)}) received datagrams of other ids: {string.Join(", ", strays.Take(10))}");
                Assert.Equal(ClientPortsPerId, received[r].Select(d => d.ClientPort).Distinct().Count());
            }
            Assert.True(maglevElsewhere > 0, "Maglev alone would have sent every one of these flows to the same backend: the test proves nothing");
            output.WriteLine($"{maglevElsewhere} of {sent.Count} flows reached another backend than Maglev alone picks");
        }
        finally
        {
            foreach (Socket socket in receivers)
                socket.Dispose();
        }
    }

    /// <summary>A short header (first byte 0x40) with a v1 connection id carrying <paramref name="serverId"/>, then the backend and port index as a tag.</summary>
    private static byte[] ShortHeader(uint serverId, int backend, int port) =>
    [
        0x40,
        (byte)(0x40 | (serverId >> 10)), (byte)(serverId >> 2), (byte)(serverId << 6), 0x11, 0x22, 0x33, 0x44, 0x55,
        0x01, (byte)backend, (byte)port, 0x51, 0x55, 0x49, 0x43,
    ];

    private static Socket Bound(IPEndPoint endpoint)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(endpoint);
        socket.ReceiveTimeout = 50;
        return socket;
    }

    private static void SendFrom(NetworkNamespace client, int clientPort, byte[] payload)
    {
        using Socket socket = client.RunInside(() =>
        {
            var created = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            created.Bind(new IPEndPoint(IPAddress.Any, clientPort));
            return created;
        });
        for (int i = 0; i < DatagramsPerPort; i++)
            socket.SendTo(payload, new IPEndPoint(Vip, QuicPort));
    }

    /// <summary>Reads what has arrived (each read waits at most 50 ms): (backend tag, client port) per datagram.</summary>
    private static void Drain(Socket socket, List<(int Backend, int ClientPort)> into)
    {
        var buffer = new byte[256];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        while (socket.Available > 0 || into.Count == 0)
        {
            try
            {
                int length = socket.ReceiveFrom(buffer, ref from);
                if (length >= 12 && buffer[9] == 0x01)
                    into.Add((buffer[10], ((IPEndPoint)from).Port));
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
            {
                return;
            }
        }
    }
}
