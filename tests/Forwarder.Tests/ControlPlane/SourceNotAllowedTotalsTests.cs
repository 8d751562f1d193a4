using System.Runtime.Versioning;
using Forwarder.ControlPlane;
using Forwarder.DataPlane;
using Forwarder.Hosting.Upgrade;
using Forwarder.Metrics;
using Forwarder.Tests.Configuration;
using Forwarder.Tests.LoadBalancing;

namespace Forwarder.Tests.ControlPlane;

/// <summary>
/// A VIP's <c>source_not_allowed</c> total is summed over workers and kept by VIP identity across snapshot changes (as its
/// packets are), takes in what an upgrade's predecessor carried, and is null for a VIP without allowed sources.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class SourceNotAllowedTotalsTests
{
    private const string Restricted = "10.100.0.1:80/tcp", Open = "10.100.0.2:53/udp", Inserted = "10.100.0.5:80/tcp";

    private static readonly string Yaml = ConfigBuilder.Standard(v => v.AllowedSources("192.168.0.0/16"))
        .Vip("10.100.0.2", 53, "udp", v => v.Backends("10.0.1.1"))
        .ToYaml();

    /// <summary>Another restricted VIP put first: the restricted VIP's index in the snapshot changes from 0 to 1.</summary>
    private static readonly string YamlWithAVipBefore = ConfigBuilder.WithoutVips()
        .Vip("10.100.0.5", 80, "tcp", v => v.AllowedSources("10.0.0.0/8").Backends("10.0.0.9"))
        .Vip("10.100.0.1", 80, "tcp", v => v.AllowedSources("192.168.0.0/16").Backends("10.0.0.1", "10.0.0.2", "10.0.0.3"))
        .Vip("10.100.0.2", 53, "udp", v => v.Backends("10.0.1.1"))
        .ToYaml();

    private readonly FakeSteeringMaps _maps = new();
    private readonly ForwarderRuntime _runtime;

    public SourceNotAllowedTotalsTests()
    {
        _runtime = new ForwarderRuntime(TestConfigs.LoadValid(Yaml), LoadBalancerConfigs.OwnMac, workerCount: 2, _maps);
        _maps.Snapshots = () => _runtime.Snapshots;
    }

    private Dictionary<string, long?> Refused() =>
        _runtime.Totals().ToDictionary(t => VipIdentity.Of(t.Vip).ToString(), t => t.SourceNotAllowed);

    [Fact]
    public void The_total_is_summed_over_workers_and_survives_a_change_that_moves_the_vip()
    {
        ForwardingSnapshot first = _runtime.Snapshots.Current;
        first.Counters[0].VipSourceNotAllowed[0] += 4;
        first.Counters[1].VipSourceNotAllowed[0] += 3;
        Assert.Equal(new Dictionary<string, long?> { [Restricted] = 7, [Open] = null }, Refused());

        Assert.True(_runtime.ApplyYaml(YamlWithAVipBefore).Applied);
        ForwardingSnapshot second = _runtime.Snapshots.Current;
        Assert.NotSame(first, second);
        second.Counters[1].VipSourceNotAllowed[1] += 2; // the restricted VIP is index 1 now
        second.Counters[0].VipSourceNotAllowed[0] += 5;

        Assert.Equal(new Dictionary<string, long?> { [Inserted] = 5, [Restricted] = 9, [Open] = null }, Refused());
        RuntimeReading reading = RuntimeReading.Read(_runtime);
        Assert.Equal([5L, 9L, null], reading.Vips.Select(v => v.SourceNotAllowed));
    }

    [Fact]
    public void A_new_vip_with_allowed_sources_reads_zero_and_one_that_loses_them_reads_null()
    {
        _runtime.Snapshots.Current.Counters[0].VipSourceNotAllowed[0] += 4;

        Assert.True(_runtime.ApplyYaml(ConfigBuilder.Standard().Vip("10.100.0.2", 53, "udp", v => v.AllowedSources("0.0.0.0/0").Backends("10.0.1.1")).ToYaml()).Applied);

        Assert.Equal(new Dictionary<string, long?> { [Restricted] = null, [Open] = 0 }, Refused());
    }

    [Fact]
    public void Totals_carried_from_a_predecessor_are_added()
    {
        var lines = new Queue<string>(["vip 10.100.0.1:80/tcp 10 1000", "refused 10.100.0.1:80/tcp 40", "end"]);
        var carried = CarriedTotals.Read(() => lines.TryDequeue(out string? line) ? line : null, _runtime.Config.Vips, out int skipped, out _);
        Assert.Equal(0, skipped);

        _runtime.Carry(carried.Vips, carried.Events);
        _runtime.Snapshots.Current.Counters[1].VipSourceNotAllowed[0] += 2;

        Assert.Equal(42, Refused()[Restricted]);
        Assert.Equal(10, _runtime.Totals()[0].Packets);
    }
}
