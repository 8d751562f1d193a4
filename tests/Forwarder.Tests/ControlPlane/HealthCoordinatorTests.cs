using System.Net;
using System.Runtime.Versioning;
using Forwarder.Configuration;
using Forwarder.ControlPlane;
using Forwarder.DataPlane;
using Forwarder.Health;
using Forwarder.Tests.Configuration;
using Forwarder.Tests.Health;
using Forwarder.Tests.LoadBalancing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Forwarder.Tests.ControlPlane;

/// <summary>Health changes reach the published tables; configuration changes keep the monitor's targets and the marks in step.</summary>
[SupportedOSPlatform("linux")]
public sealed class HealthCoordinatorTests
{
    private const string FastChecks = "interval_ms: 50, timeout_ms: 50, fall: 1, rise: 1";

    private static readonly string Config = ConfigBuilder.Standard(v => v.HealthCheck(FastChecks)).ToYaml();

    private static readonly IPAddress Failing = IPAddress.Parse("10.0.0.2");

    [Fact]
    public async Task A_failing_backend_leaves_the_table_and_returns_when_it_answers_again()
    {
        bool failing = true;
        var runtime = new ForwarderRuntime(TestConfigs.LoadValid(Config), LoadBalancerConfigs.OwnMac, 1, new FakeSteeringMaps());
        var probe = new FakeProbe((target, _) => failing && target.Backend.Equals(Failing) ? FakeProbe.Fail : FakeProbe.Pass);
        await using var coordinator = new HealthCoordinator(runtime, new HealthMonitor(probe: probe), NullLogger.Instance);

        coordinator.Start();
        await Wait.HoldsAsync(() => !SlotsName(runtime, Failing), "the failing backend left the table");
        Assert.Single(runtime.DownBackends);

        failing = false;
        await Wait.HoldsAsync(() => SlotsName(runtime, Failing), "the backend came back");
        Assert.Empty(runtime.DownBackends);
    }

    [Fact]
    public async Task A_mark_the_new_configuration_no_longer_probes_is_cleared()
    {
        var runtime = new ForwarderRuntime(TestConfigs.LoadValid(Config), LoadBalancerConfigs.OwnMac, 1, new FakeSteeringMaps());
        var probe = new FakeProbe((target, _) => target.Backend.Equals(Failing) ? FakeProbe.Fail : FakeProbe.Pass);
        await using var coordinator = new HealthCoordinator(runtime, new HealthMonitor(probe: probe), NullLogger.Instance);
        coordinator.Start();
        await Wait.HoldsAsync(() => runtime.DownBackends.Count == 1, "the backend was marked down");

        // Without a health check every backend counts as healthy.
        string unchecked_ = string.Join('\n', Config.Split('\n').Where(l => !l.Contains("healthcheck") && !l.Contains("_ms:") && !l.Contains("fall:") && !l.Contains("rise:")));
        Assert.True(runtime.ApplyYaml(unchecked_).Applied);

        await Wait.HoldsAsync(() => runtime.DownBackends.Count == 0 && SlotsName(runtime, Failing), "the stale mark was cleared");
    }

    [Fact]
    public async Task A_failing_nat_port_takes_down_only_that_backend_of_its_address()
    {
        string nat = ConfigBuilder.WithoutVips()
            .Vip("10.100.0.1", 80, "tcp", v => v.Mode("nat").HealthCheck(FastChecks).Backend("10.0.0.1", port: 8080).Backend("10.0.0.1", port: 8081))
            .ToYaml();
        var on8080 = new BackendId(IPAddress.Parse("10.0.0.1"), 8080);
        var on8081 = new BackendId(IPAddress.Parse("10.0.0.1"), 8081);
        var runtime = new ForwarderRuntime(TestConfigs.LoadValid(nat), LoadBalancerConfigs.OwnMac, 1, new FakeSteeringMaps());
        var probe = new FakeProbe((target, _) => target.Port == 8080 ? FakeProbe.Fail : FakeProbe.Pass);
        await using var coordinator = new HealthCoordinator(runtime, new HealthMonitor(probe: probe), NullLogger.Instance);

        coordinator.Start();
        await Wait.HoldsAsync(() => runtime.DownBackends.Count == 1, "the failing port was marked down");

        var vip = new VipIdentity(IPAddress.Parse("10.100.0.1"), 80, VipProtocol.Tcp);
        Assert.Equal([(vip, on8080)], runtime.DownBackends);
        ConfiguredVip configured = runtime.Published.Vips[0];
        VipEntry entry = configured.Entry;
        int id8080 = configured.Backends.ToList().FindIndex(b => b.Id == on8080);
        int id8081 = configured.Backends.ToList().FindIndex(b => b.Id == on8081);
        Assert.True(entry.Backends[id8080].Down);
        Assert.False(entry.Backends[id8081].Down);
        Assert.Contains(id8081, entry.Slots!);
        Assert.DoesNotContain(id8080, entry.Slots!);
    }

    [Fact]
    public async Task A_target_several_vips_share_takes_its_backend_out_of_all_of_them_in_one_change()
    {
        string vips = string.Join('\n', Config.Split('\n').SkipWhile(l => !l.Contains("- address: 10.100.0.1")));
        string shared = Config + "\n" + vips.Replace("10.100.0.1", "10.100.0.2") + "\n" + vips.Replace("10.100.0.1", "10.100.0.3");
        var runtime = new ForwarderRuntime(TestConfigs.LoadValid(shared), LoadBalancerConfigs.OwnMac, 1, new FakeSteeringMaps());
        var probe = new FakeProbe((target, _) => target.Backend.Equals(Failing) ? FakeProbe.Fail : FakeProbe.Pass);
        await using var coordinator = new HealthCoordinator(runtime, new HealthMonitor(probe: probe), NullLogger.Instance);
        Assert.Equal(1, runtime.TablesBuilt); // three VIPs, one table

        coordinator.Start();
        await Wait.HoldsAsync(() => runtime.DownBackends.Count == 3, "the shared backend was marked down in every VIP");

        ForwardingSnapshot snapshot = runtime.Snapshots.Current;
        Assert.Equal(2, snapshot.Version); // one change for the three VIPs
        Assert.Equal(2, runtime.TablesBuilt);
        Assert.All(snapshot.Vips, v => Assert.Same(snapshot.Vips[0].Slots, v.Slots));
        Assert.False(SlotsName(runtime, Failing));
    }

    private static bool SlotsName(ForwarderRuntime runtime, IPAddress backend)
    {
        ConfiguredVip configured = runtime.Published.Vips[0];
        VipEntry vip = configured.Entry;
        int id = configured.Backends.ToList().FindIndex(b => b.Address.Equals(backend));
        return vip.Slots is { } slots && slots.Contains(id);
    }
}
