using System.Net;
using System.Runtime.Versioning;
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
    private const string Config = """
        interface:
          name: eth0
        router_mac: 02:00:00:00:00:01
        vips:
          - address: 10.100.0.1
            port: 80
            protocol: tcp
            healthcheck:
              interval_ms: 50
              timeout_ms: 50
              fall: 1
              rise: 1
            backends:
              - address: 10.0.0.1
              - address: 10.0.0.2
              - address: 10.0.0.3
        """;

    private static readonly IPAddress Failing = IPAddress.Parse("10.0.0.2");

    [Fact]
    public async Task A_failing_backend_leaves_the_table_and_returns_when_it_answers_again()
    {
        bool failing = true;
        var runtime = new ForwarderRuntime(TestConfigs.LoadValid(Config), LoadBalancerConfigs.OwnMac, 1, new FakeSteeringMaps());
        var probe = new FakeProbe((target, _) => failing && target.Backend.Equals(Failing) ? FakeProbe.Fail : FakeProbe.Pass);
        await using var coordinator = new HealthCoordinator(runtime, new HealthMonitor(probe: probe), NullLogger.Instance);

        coordinator.Start();
        await Eventually.HoldsAsync(() => !SlotsName(runtime, Failing), "the failing backend left the table");
        Assert.Single(runtime.DownBackends);

        failing = false;
        await Eventually.HoldsAsync(() => SlotsName(runtime, Failing), "the backend came back");
        Assert.Empty(runtime.DownBackends);
    }

    [Fact]
    public async Task A_mark_the_new_configuration_no_longer_probes_is_cleared()
    {
        var runtime = new ForwarderRuntime(TestConfigs.LoadValid(Config), LoadBalancerConfigs.OwnMac, 1, new FakeSteeringMaps());
        var probe = new FakeProbe((target, _) => target.Backend.Equals(Failing) ? FakeProbe.Fail : FakeProbe.Pass);
        await using var coordinator = new HealthCoordinator(runtime, new HealthMonitor(probe: probe), NullLogger.Instance);
        coordinator.Start();
        await Eventually.HoldsAsync(() => runtime.DownBackends.Count == 1, "the backend was marked down");

        // Without a health check every backend counts as healthy.
        string unchecked_ = string.Join('\n', Config.Split('\n').Where(l => !l.Contains("healthcheck") && !l.Contains("_ms:") && !l.Contains("fall:") && !l.Contains("rise:")));
        Assert.True(runtime.ApplyYaml(unchecked_).Applied);

        await Eventually.HoldsAsync(() => runtime.DownBackends.Count == 0 && SlotsName(runtime, Failing), "the stale mark was cleared");
    }

    private static bool SlotsName(ForwarderRuntime runtime, IPAddress backend)
    {
        VipEntry vip = runtime.Snapshots.Current.Vips[0];
        int id = vip.BackendConfigs.ToList().FindIndex(b => b.Address.Equals(backend));
        return vip.Slots is { } slots && slots.Contains(id);
    }
}
