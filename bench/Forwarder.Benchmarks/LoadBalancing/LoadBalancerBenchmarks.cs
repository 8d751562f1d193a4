using System.Net;
using BenchmarkDotNet.Attributes;
using Forwarder.Benchmarks.Frames;
using Forwarder.ControlPlane;
using Forwarder.DataPlane;
using Forwarder.Packets;

namespace Forwarder.Benchmarks.LoadBalancing;

/// <summary>
/// The whole load-balancing stage, <see cref="LoadBalancer.Process"/> (parse, classify, hash, Maglev
/// lookup, rewrite, count), over one RX batch of 64 frames; times are per packet. The target is under
/// 20 ns per packet.
/// <list type="bullet">
/// <item><c>ipip</c>: one IPv4 VIP (any protocol, port 80), ipip to three backends; TCP and UDP in turn.</item>
/// <item><c>all-modes</c>: the batch mixes, in turn, ipip IPv4-in-IPv4, IPv6-in-IPv6, IPv4-in-IPv6,
/// gue, dsr-l2, nat to a backend and a nat backend's replies (<see cref="BenchConfigs.AllModes"/>).</item>
/// </list>
/// The stage rewrites frames in place, and the next invocation must parse them as received: nat
/// changed their addresses, encapsulation overwrote their Ethernet headers. So every invocation first
/// copies the 64 frames back into their chunks (<see cref="FrameArea.CopyIn"/>, 60–234 bytes a frame),
/// (in copy mode the kernel makes the same copy, but on the receiving CPU). <see cref="CopyIn"/> measures
/// that alone (the baseline): the stage's own cost is Process − CopyIn. <see cref="FrameLayout"/> says
/// where the frames sit in their chunks (<see cref="FrameLayout.UmemChunk"/> is what a worker gets).
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn] // on a shared machine the minimum is the steadiest figure
public class LoadBalancerBenchmarks
{
    private FrameArea _area = null!;
    private LoadBalancer _vector;
    private LoadBalancer<ScalarFlowLookup> _scalar;
    private LoadBalancer _remembering;
    private CapturingProcessor<LoadBalancer> _captureOff;
    private CapturingProcessor<LoadBalancer> _captureOn;
    private CaptureTap _tap = null!;

    [Params("ipip", "all-modes")]
    public string Traffic { get; set; } = "ipip";

    [Params(FrameLayout.UmemChunk, FrameLayout.Staggered)]
    public FrameLayout Layout { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        bool allModes = Traffic == "all-modes";
        var config = BenchConfigs.Load(allModes ? BenchConfigs.AllModes : BenchConfigs.Ipip);
        var source = new SnapshotSource(SnapshotBuilder.Build(config, FrameFactory.OwnMac, workerCount: 1).Snapshot);
        _vector = new LoadBalancer(source, 0);
        _scalar = new LoadBalancer<ScalarFlowLookup>(source, 0);
        _remembering = new LoadBalancer(source, 0, new global::Forwarder.FlowTable.ConnectionTable(global::Forwarder.FlowTable.ConnectionTableOptions.Default));
        _captureOff = new CapturingProcessor<LoadBalancer>(new LoadBalancer(source, 0), new CaptureSwitch(), 0);
        var on = new CaptureSwitch();
        _tap = new CaptureTap(new CaptureFilter(), ringSlots: 1024);
        on.TryStart([_tap]);
        _captureOn = new CapturingProcessor<LoadBalancer>(new LoadBalancer(source, 0), on, 0);
        _area = new FrameArea(allModes ? AllModesFrames() : ClientFlows.Round(seed: 6, FrameArea.BatchSize, ("10.100.0.1", true, 80), ("10.100.0.1", false, 80)), Layout);

        Process();
        RequireAllForwarded("vector");
        ProcessScalar();
        RequireAllForwarded("scalar");
        ProcessRemembering();
        RequireAllForwarded("connection table");
        ProcessCaptureOff();
        RequireAllForwarded("capture off");
        ProcessCaptureOn();
        RequireAllForwarded("capture on");
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = FrameArea.BatchSize)]
    public void CopyIn() => _area.CopyIn();

    /// <summary>Copy-in, then the stage as workers run it (vectorised hashing and ring indexing).</summary>
    [Benchmark(OperationsPerInvoke = FrameArea.BatchSize)]
    public void Process()
    {
        _area.CopyIn();
        _vector.Process(_area.Batch);
    }

    /// <summary>Copy-in, then the stage's scalar reference path (one flow at a time).</summary>
    [Benchmark(OperationsPerInvoke = FrameArea.BatchSize)]
    public void ProcessScalar()
    {
        _area.CopyIn();
        _scalar.Process(_area.Batch);
    }

    /// <summary>
    /// Copy-in, then the stage with a default connection table (1 Mi entries): after the first batch every
    /// flow is a hit, as for established connections; the table's lines are prefetched batch-wide.
    /// </summary>
    [Benchmark(OperationsPerInvoke = FrameArea.BatchSize)]
    public void ProcessRemembering()
    {
        _area.CopyIn();
        _remembering.Process(_area.Batch);
    }

    /// <summary>Copy-in, then the stage wrapped for capture with none running, as workers run it: against <see cref="Process"/>, the cost of capture off.</summary>
    [Benchmark(OperationsPerInvoke = FrameArea.BatchSize)]
    public void ProcessCaptureOff()
    {
        _area.CopyIn();
        _captureOff.Process(_area.Batch);
    }

    /// <summary>Copy-in, then the stage with a capture of every frame (whole, both sides), taken back out of the ring as the capture writer does.</summary>
    [Benchmark(OperationsPerInvoke = FrameArea.BatchSize)]
    public void ProcessCaptureOn()
    {
        _area.CopyIn();
        _captureOn.Process(_area.Batch);
        while (_tap.Ring.TryTake(static (int _, in CaptureRecord _, ReadOnlySpan<byte> _, ReadOnlySpan<byte> _) => { }, 0))
        {
        }
    }

    /// <summary>Seven kinds of traffic in turn: 10, 9, 9, 9, 9, 9 and 9 frames of the 64.</summary>
    private static byte[][] AllModesFrames()
    {
        var random = new Random(7);
        var frames = new byte[FrameArea.BatchSize][];
        for (int i = 0; i < frames.Length; i++)
        {
            bool tcp = i / 7 % 2 == 0;
            frames[i] = (i % 7) switch
            {
                0 => ClientFlows.To(random, "10.100.0.1", tcp, 80), // ipip IPv4 in IPv4
                1 => ClientFlows.To(random, "fc00::100", true, 443), // ipip IPv6 in IPv6
                2 => ClientFlows.To(random, "10.100.0.5", tcp, 80), // ipip IPv4 in IPv6
                3 => ClientFlows.To(random, "10.100.0.2", tcp, 0), // gue, any port
                4 => ClientFlows.To(random, "10.100.0.3", false, 53), // dsr-l2
                5 => ClientFlows.To(random, "10.100.0.4", true, 80), // nat to a backend
                _ => FrameFactory.Build(IPAddress.Parse("10.0.1.1"), ClientFlows.ClientV4(random), 8080, (ushort)random.Next(1024, 65536),
                    tcp: true, random.Next(0, ClientFlows.MaxPayload + 1)), // nat reply
            };
        }
        return frames;
    }

    private void RequireAllForwarded(string path) => _area.RequireAllForwarded($"{Traffic} ({path})");

    [GlobalCleanup]
    public void Cleanup() => _area.Dispose();
}
