using BenchmarkDotNet.Attributes;
using Forwarder.Benchmarks.Frames;
using Forwarder.ControlPlane;
using Forwarder.DataPlane;
using Forwarder.Packets;
using Forwarder.Testing;

namespace Forwarder.Benchmarks.LoadBalancing;

/// <summary>
/// The cost of connection-id routing: one batch of 64 UDP datagrams with QUIC short headers (connection-id v1,
/// the server ids of the three backends in turn) from random clients, through the stage as workers run it —
/// to a plain UDP VIP (<see cref="Plain"/>: Maglev alone, the header never read) and to a quic VIP with the same
/// backends (<see cref="Quic"/>: header read, server id looked up, counted). Both copy the frames in first, as
/// <see cref="CopyIn"/> does alone; the stage's own cost is each minus CopyIn.
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
public class QuicRoutingBenchmarks
{
    private const string PlainVip = "10.100.0.1";
    private const string QuicVip = "10.100.0.9";
    private const ushort Port = 443;

    private FrameArea _plain = null!;
    private FrameArea _quic = null!;
    private FrameArea _initial = null!;
    private LoadBalancer _stage;

    [GlobalSetup]
    public void Setup()
    {
        string yaml = ConfigBuilder.WithoutVips()
            .Vip(PlainVip, Port, "udp", v => v.Backends("10.0.0.1", "10.0.0.2", "10.0.0.3"))
            .Vip(QuicVip, Port, "udp", v => v.Quic().QuicBackend("10.0.0.1", 1001).QuicBackend("10.0.0.2", 1002).QuicBackend("10.0.0.3", 1003))
            .ToYaml();
        var source = new SnapshotSource(SnapshotBuilder.Build(BenchConfigs.Load(yaml), FrameFactory.OwnMac, workerCount: 1).Snapshot);
        _stage = new LoadBalancer(source, 0);
        _plain = new FrameArea(Frames(PlainVip));
        _quic = new FrameArea(Frames(QuicVip));
        _initial = new FrameArea(Frames(QuicVip, initial: true));

        Plain();
        _plain.RequireAllForwarded("plain");
        Quic();
        _quic.RequireAllForwarded("quic");
        long routed = source.Current.Counters[0].Quic[1 * QuicCounters.PerVip + (int)QuicCounter.CidRouted];
        if (routed != FrameArea.BatchSize)
            throw new InvalidOperationException($"{routed} of {FrameArea.BatchSize} quic datagrams were routed by connection id");
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = FrameArea.BatchSize)]
    public void CopyIn() => _quic.CopyIn();

    [Benchmark(OperationsPerInvoke = FrameArea.BatchSize)]
    public void Plain()
    {
        _plain.CopyIn();
        _stage.Process(_plain.Batch);
    }

    [Benchmark(OperationsPerInvoke = FrameArea.BatchSize)]
    public void Quic()
    {
        _quic.CopyIn();
        _stage.Process(_quic.Batch);
    }

    /// <summary>The quic VIP's fallback: long-header Initials, routed by Maglev after the header's first byte.</summary>
    [Benchmark(OperationsPerInvoke = FrameArea.BatchSize)]
    public void QuicInitial()
    {
        _initial.CopyIn();
        _stage.Process(_initial.Batch);
    }

    private static byte[][] Frames(string vip, bool initial = false)
    {
        var random = new Random(17);
        var frames = new byte[FrameArea.BatchSize][];
        for (int i = 0; i < frames.Length; i++)
        {
            uint serverId = (uint)(1001 + i % 3);
            byte[] payload = new byte[48];
            random.NextBytes(payload);
            payload[0] = 0x40;
            payload[1] = (byte)(0x40 | (serverId >> 10));
            payload[2] = (byte)(serverId >> 2);
            payload[3] = (byte)((serverId & 3) << 6);
            if (initial)
                payload[0] = 0xC3;
            frames[i] = FrameBuilder.Ip(ClientFlows.ClientV4(random), System.Net.IPAddress.Parse(vip))
                .Macs(FrameFactory.OwnMac, FrameFactory.ClientMac)
                .Udp((ushort)random.Next(1024, 65536), Port, payload).Build();
        }
        return frames;
    }
}
