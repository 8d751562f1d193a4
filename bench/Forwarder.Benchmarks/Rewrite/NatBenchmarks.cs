using System.Net;
using BenchmarkDotNet.Attributes;
using Forwarder.Benchmarks.Frames;
using Forwarder.Packets;
using Forwarder.Rewrite;

namespace Forwarder.Benchmarks.Rewrite;

/// <summary>
/// Stateless NAT over one RX batch of 64 IPv4 frames (TCP and UDP in turn, 0–160 bytes of payload):
/// client → VIP 10.100.0.4:80 rewritten to backend 10.0.1.1:8080, and the backend's replies rewritten
/// back to come from the VIP. Each frame's parse is done once in setup. Times are per packet.
///
/// Re-running on the same frames: NAT rewrites an address and a port in place and updates the IP and
/// transport checksums incrementally from the bytes it finds in the frame (never from the parse),
/// so nothing needs reloading. Each invocation flips the frames the other way — odd invocations
/// rewrite VIP → backend, even ones backend → VIP with the same call — so every invocation changes
/// every frame (a second identical rewrite would add zero to each checksum). Incremental updates
/// keep checksums exact in both directions (RFC 1624); setup checks the checksums after one and two
/// flips, and cleanup checks them again after the millions of flips of the run.
/// <see cref="FrameLayout"/> says where the frames sit in their chunks.
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn] // on a shared machine the minimum is the steadiest figure
public class NatBenchmarks
{
    private const ushort VipPort = 80;
    private const ushort BackendPort = 8080;

    private static readonly EthernetAddresses RouterMacs = new([0x02, 0, 0, 0, 0, 0x01], FrameFactory.OwnMac);
    private static readonly WireAddress Vip = WireAddress.FromIPAddress(IPAddress.Parse("10.100.0.4"));
    private static readonly WireAddress Backend = WireAddress.FromIPAddress(IPAddress.Parse("10.0.1.1"));

    private FrameArea _requests = null!;
    private FrameArea _replies = null!;
    private ParsedPacket[] _requestPackets = [];
    private ParsedPacket[] _replyPackets = [];
    private bool _requestsAtBackend;
    private bool _repliesFromVip;

    [Params(FrameLayout.UmemChunk, FrameLayout.Staggered)]
    public FrameLayout Layout { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _requests = new FrameArea(ClientFlows.Round(seed: 4, FrameArea.BatchSize, ("10.100.0.4", true, VipPort), ("10.100.0.4", false, VipPort)), Layout);
        var random = new Random(5);
        _replies = new FrameArea(Enumerable.Range(0, FrameArea.BatchSize)
            .Select(i => FrameFactory.Build(IPAddress.Parse("10.0.1.1"), ClientFlows.ClientV4(random), BackendPort, (ushort)random.Next(1024, 65536),
                tcp: i % 2 == 0, random.Next(0, ClientFlows.MaxPayload + 1)))
            .ToArray(), Layout);
        _requestPackets = _requests.Parse();
        _replyPackets = _replies.Parse();

        for (int flip = 1; flip <= 2; flip++)
        {
            ToBackend();
            ToClient();
            FrameChecks.RequireValid(_requests, $"after {flip} nat flip(s) to the backend");
            FrameChecks.RequireValid(_replies, $"after {flip} nat flip(s) of replies");
        }
    }

    [Benchmark(OperationsPerInvoke = FrameArea.BatchSize)]
    public int ToBackend()
    {
        bool back = _requestsAtBackend;
        _requestsAtBackend = !back;
        WireAddress to = back ? Vip : Backend;
        ushort port = back ? VipPort : BackendPort;
        PacketBatch batch = _requests.Batch;
        ParsedPacket[] packets = _requestPackets;
        int verdicts = 0;
        for (int i = 0; i < batch.Count; i++)
            verdicts |= (int)NatRewrite.ToBackend(batch, i, packets[i], to, port, RouterMacs);
        return verdicts;
    }

    /// <summary>A nat backend's replies, their source rewritten to the VIP.</summary>
    [Benchmark(OperationsPerInvoke = FrameArea.BatchSize)]
    public int ToClient()
    {
        bool back = _repliesFromVip;
        _repliesFromVip = !back;
        WireAddress from = back ? Backend : Vip;
        ushort port = back ? BackendPort : VipPort;
        PacketBatch batch = _replies.Batch;
        ParsedPacket[] packets = _replyPackets;
        int verdicts = 0;
        for (int i = 0; i < batch.Count; i++)
            verdicts |= (int)NatRewrite.ToClient(batch, i, packets[i], from, port, RouterMacs);
        return verdicts;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        FrameChecks.RequireValid(_requests, "at the end of the run");
        FrameChecks.RequireValid(_replies, "at the end of the run");
        _requests.Dispose();
        _replies.Dispose();
    }
}
