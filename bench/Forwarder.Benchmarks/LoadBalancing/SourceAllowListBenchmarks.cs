using System.Net;
using BenchmarkDotNet.Attributes;
using Forwarder.Benchmarks.Frames;
using Forwarder.ControlPlane;
using Forwarder.DataPlane;
using Forwarder.Packets;
using Forwarder.Testing;

namespace Forwarder.Benchmarks.LoadBalancing;

/// <summary>
/// The load-balancing stage (<see cref="LoadBalancer.Process"/>, one batch of 64 frames, copy-in included as in
/// <see cref="LoadBalancerBenchmarks"/>) for one ipip VIP three ways: without <c>allowed_sources</c> (the baseline),
/// with one prefix covering every client, and with 1,000 prefixes. The 1,000 are host-sized for the batch's clients
/// (IPv4 /32: three table loads; IPv6 /64 under the shared /32: three) among random /20–/32 (IPv6 /40–/64) prefixes
/// inside the clients' own ranges (a shorter one would cover the whole range), so lookups walk the deepest blocks. Every frame is forwarded on all three; the difference to the
/// baseline is the list's cost per packet. A fourth case lists the host prefixes of every other frame's client only: about half the batch is
/// refused (<c>source_not_allowed</c>, counted per queue and per VIP), the rest forwarded.
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
public class SourceAllowListBenchmarks
{
    private const int ManyPrefixes = 1000;

    private FrameArea _area = null!;
    private LoadBalancer _noList;
    private LoadBalancer _onePrefix;
    private LoadBalancer _manyPrefixes;
    private LoadBalancer _halfRefused;

    [Params("v4", "v6")]
    public string Family { get; set; } = "v4";

    [GlobalSetup]
    public void Setup()
    {
        bool v6 = Family == "v6";
        string vip = v6 ? "fc00::100" : "10.100.0.1";
        var random = new Random(17);
        byte[][] frames = ClientFlows.Round(seed: 8, FrameArea.BatchSize, (vip, true, 80), (vip, false, 80));
        IPAddress[] clients = frames.Select(f => Client(f, v6)).ToArray();
        string[] many = clients.Select(c => $"{Prefix(c, v6 ? 64 : 32)}")
            .Concat(Enumerable.Range(0, ManyPrefixes).Select(_ => RandomPrefix(random, v6)))
            .Distinct()
            .Take(ManyPrefixes)
            .ToArray();
        _noList = Stage(vip, v6, null);
        _onePrefix = Stage(vip, v6, [v6 ? "2001:db8::/32" : "198.18.0.0/15"]);
        _manyPrefixes = Stage(vip, v6, many);
        _halfRefused = Stage(vip, v6, clients.Where((_, i) => i % 2 == 0).Select(c => Prefix(c, v6 ? 128 : 32)).Distinct().ToArray());
        _area = new FrameArea(frames);

        foreach (Action run in new Action[] { NoList, OnePrefix, ThousandPrefixes })
        {
            run();
            _area.RequireAllForwarded(Family);
        }
        HalfRefused();
        int refused = Enumerable.Range(0, _area.Batch.Count).Count(i => _area.Batch.Verdict[i] == DropReason.SourceNotAllowed);
        if (refused < FrameArea.BatchSize / 4 || refused > FrameArea.BatchSize * 3 / 4)
            throw new InvalidOperationException($"{Family}: {refused} of {FrameArea.BatchSize} frames refused, not about half");
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = FrameArea.BatchSize)]
    public void NoList()
    {
        _area.CopyIn();
        _noList.Process(_area.Batch);
    }

    [Benchmark(OperationsPerInvoke = FrameArea.BatchSize)]
    public void OnePrefix()
    {
        _area.CopyIn();
        _onePrefix.Process(_area.Batch);
    }

    [Benchmark(OperationsPerInvoke = FrameArea.BatchSize)]
    public void ThousandPrefixes()
    {
        _area.CopyIn();
        _manyPrefixes.Process(_area.Batch);
    }

    [Benchmark(OperationsPerInvoke = FrameArea.BatchSize)]
    public void HalfRefused()
    {
        _area.CopyIn();
        _halfRefused.Process(_area.Batch);
    }

    [GlobalCleanup]
    public void Cleanup() => _area.Dispose();

    private static LoadBalancer Stage(string vip, bool v6, string[]? allowed)
    {
        string yaml = ConfigBuilder.WithoutVips()
            .Vip(vip, 80, configure: v =>
            {
                if (allowed is not null)
                    v.AllowedSources(allowed);
                v.Backends(v6 ? ["fc00::a", "fc00::b", "fc00::c"] : ["10.0.0.1", "10.0.0.2", "10.0.0.3"]);
            })
            .ToYaml();
        var source = new SnapshotSource(SnapshotBuilder.Build(BenchConfigs.Load(yaml), FrameFactory.OwnMac, workerCount: 1).Snapshot);
        return new LoadBalancer(source, 0);
    }

    /// <summary>The frame's IP source address (Ethernet header of 14 bytes, no VLAN tag).</summary>
    private static IPAddress Client(byte[] frame, bool v6) => new(v6 ? frame.AsSpan(14 + 8, 16) : frame.AsSpan(14 + 12, 4));

    private static string RandomPrefix(Random random, bool v6)
    {
        IPAddress address = v6 ? ClientFlows.ClientV6(random) : ClientFlows.ClientV4(random);
        return Prefix(address, v6 ? random.Next(40, 65) : random.Next(20, 33));
    }

    private static string Prefix(IPAddress address, int length)
    {
        (byte[] network, _) = DataPlane.SourceAllowListLookupBenchmarks.Prefix(address, length);
        return $"{new IPAddress(network)}/{length}";
    }
}
