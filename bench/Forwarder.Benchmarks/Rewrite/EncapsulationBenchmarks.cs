using System.Net;
using BenchmarkDotNet.Attributes;
using Forwarder.Benchmarks.Frames;
using Forwarder.Packets;
using Forwarder.Rewrite;

namespace Forwarder.Benchmarks.Rewrite;

/// <summary>
/// The header-adding rewrites and dsr-l2 over one RX batch of 64 frames (TCP and UDP in turn, 0–160
/// bytes of payload), each frame's parse done once in setup. Times are per packet.
///
/// Re-running a rewrite on the same frames: encapsulation moves a frame's start back into the
/// headroom and sets its length, but never changes a byte of the inner IP packet, which is all it
/// reads (besides a VLAN tag, and these frames have none); dsr-l2 only stores MACs. So putting back
/// each frame's Address and Length (<see cref="FrameArea.Restore"/>) makes the next invocation do
/// exactly the first one's work, and setup checks that it writes exactly the first one's bytes.
/// Every benchmark includes that restore; <see cref="Restore"/> measures it alone (the baseline).
/// <see cref="FrameLayout"/> says where the frames sit in their chunks.
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn] // on a shared machine the minimum is the steadiest figure
public class EncapsulationBenchmarks
{
    private const ushort GuePort = 6080;

    private static readonly EthernetAddresses RouterMacs = new([0x02, 0, 0, 0, 0, 0x01], FrameFactory.OwnMac);
    private static readonly EthernetAddresses BackendMacs = new([0x02, 0, 0, 0, 0, 0xb1], FrameFactory.OwnMac);
    private static readonly WireAddress BackendV4 = WireAddress.FromIPAddress(IPAddress.Parse("10.0.0.1"));
    private static readonly WireAddress BackendV6 = WireAddress.FromIPAddress(IPAddress.Parse("fc00::a"));
    private static readonly WireAddress GueSourceV4 = WireAddress.FromIPAddress(IPAddress.Parse("10.0.0.254"));
    private static readonly WireAddress GueSourceV6 = WireAddress.FromIPAddress(IPAddress.Parse("fc00::fe"));

    private FrameArea _v4 = null!;
    private FrameArea _v6 = null!;
    private ParsedPacket[] _v4Packets = [];
    private ParsedPacket[] _v6Packets = [];

    [Params(FrameLayout.UmemChunk, FrameLayout.Staggered)]
    public FrameLayout Layout { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _v4 = new FrameArea(ClientFlows.Round(seed: 2, FrameArea.BatchSize, ("10.100.0.1", true, 80), ("10.100.0.1", false, 80)), Layout);
        _v6 = new FrameArea(ClientFlows.Round(seed: 3, FrameArea.BatchSize, ("fc00::100", true, 443), ("fc00::100", false, 443)), Layout);
        _v4Packets = _v4.Parse();
        _v6Packets = _v6.Parse();

        RequireRepeatable(_v4, IpipV4InV4, nameof(IpipV4InV4));
        RequireRepeatable(_v6, IpipV6InV6, nameof(IpipV6InV6));
        RequireRepeatable(_v4, IpipV4InV6, nameof(IpipV4InV6));
        RequireRepeatable(_v4, GueV4, nameof(GueV4));
        RequireRepeatable(_v4, GueV4InV6, nameof(GueV4InV6));
        RequireRepeatable(_v4, DsrL2, nameof(DsrL2));
    }

    /// <summary>Putting back the 64 frames' Address and Length: included in every other benchmark here.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = FrameArea.BatchSize)]
    public void Restore() => _v4.Restore();

    [Benchmark(OperationsPerInvoke = FrameArea.BatchSize)]
    public int IpipV4InV4() => Ipip(_v4, _v4Packets, BackendV4, IpVersion.V4);

    [Benchmark(OperationsPerInvoke = FrameArea.BatchSize)]
    public int IpipV6InV6() => Ipip(_v6, _v6Packets, BackendV6, IpVersion.V6);

    [Benchmark(OperationsPerInvoke = FrameArea.BatchSize)]
    public int IpipV4InV6() => Ipip(_v4, _v4Packets, BackendV6, IpVersion.V6);

    /// <summary>IPv4 backend: outer UDP checksum 0 (allowed over IPv4).</summary>
    [Benchmark(OperationsPerInvoke = FrameArea.BatchSize)]
    public int GueV4() => Gue(_v4, BackendV4, IpVersion.V4, GueSourceV4);

    /// <summary>IPv6 backend: the outer UDP checksum is computed over the whole datagram.</summary>
    [Benchmark(OperationsPerInvoke = FrameArea.BatchSize)]
    public int GueV4InV6() => Gue(_v4, BackendV6, IpVersion.V6, GueSourceV6);

    [Benchmark(OperationsPerInvoke = FrameArea.BatchSize)]
    public int DsrL2()
    {
        FrameArea area = _v4;
        area.Restore();
        PacketBatch batch = area.Batch;
        int verdicts = 0;
        for (int i = 0; i < batch.Count; i++)
            verdicts |= (int)DsrL2Rewrite.Apply(batch, i, BackendMacs);
        return verdicts;
    }

    private static int Ipip(FrameArea area, ParsedPacket[] packets, in WireAddress backend, IpVersion backendVersion)
    {
        area.Restore();
        PacketBatch batch = area.Batch;
        int verdicts = 0;
        for (int i = 0; i < batch.Count; i++)
            verdicts |= (int)IpipEncapsulation.Apply(batch, i, packets[i], packets[i].SourcePort, backend, backendVersion, RouterMacs);
        return verdicts;
    }

    private int Gue(FrameArea area, in WireAddress backend, IpVersion backendVersion, in WireAddress source)
    {
        area.Restore();
        PacketBatch batch = area.Batch;
        ParsedPacket[] packets = _v4Packets;
        int verdicts = 0;
        for (int i = 0; i < batch.Count; i++)
            verdicts |= (int)GueEncapsulation.Apply(batch, i, packets[i], packets[i].SourcePort, backend, backendVersion, source, GuePort, RouterMacs);
        return verdicts;
    }

    /// <summary>Runs <paramref name="rewrite"/> twice; both runs must transmit every frame with the same bytes.</summary>
    private static void RequireRepeatable(FrameArea area, Func<int> rewrite, string name)
    {
        area.CopyIn();
        if (rewrite() != 0)
            throw new InvalidOperationException($"{name}: a frame was dropped");
        byte[][] first = Enumerable.Range(0, area.Count).Select(i => area.Current(i).ToArray()).ToArray();
        if (rewrite() != 0 || Enumerable.Range(0, area.Count).Any(i => !area.Current(i).SequenceEqual(first[i])))
            throw new InvalidOperationException($"{name}: a second run after Restore wrote different frames");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _v4.Dispose();
        _v6.Dispose();
    }
}
