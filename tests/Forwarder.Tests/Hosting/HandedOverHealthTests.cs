using System.Net;
using System.Runtime.Versioning;
using Forwarder.Configuration;
using Forwarder.ControlPlane;
using Forwarder.DataPlane;
using Forwarder.Health;
using Forwarder.Hosting;
using Forwarder.Tests.Configuration;
using Forwarder.Tests.ControlPlane;
using Forwarder.Tests.LoadBalancing;

namespace Forwarder.Tests.Hosting;

/// <summary>
/// The marks an upgrade hands over take a backend down in the successor's tables before its workers run (not once its
/// checks start); marks that are up, or name no target of the configuration, change nothing.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class HandedOverHealthTests
{
    private static readonly string Config = ConfigBuilder.Standard(v => v.HealthCheck("interval_ms: 2000")).ToYaml();

    private static readonly IPAddress Down = IPAddress.Parse("10.0.0.2");

    [Fact]
    public void A_backend_handed_over_down_is_out_of_the_table_at_once()
    {
        var runtime = new ForwarderRuntime(TestConfigs.LoadValid(Config), LoadBalancerConfigs.OwnMac, 1, new FakeSteeringMaps());
        Assert.True(SlotsName(runtime, Down));

        int taken = HandedOverHealth.ApplyDown(runtime, new Dictionary<string, HealthMark> { [TargetOf(runtime, Down)] = new(false, 0, 3) });

        Assert.Equal(1, taken);
        Assert.False(SlotsName(runtime, Down), "the backend handed over down is still in the table");
        Assert.Single(runtime.DownBackends, b => b.Backend.Address.Equals(Down));
        Assert.All(runtime.Published.Vips[0].Backends.Where(b => !b.Address.Equals(Down)), b => Assert.True(SlotsName(runtime, b.Address)));
    }

    [Fact]
    public void Up_marks_and_marks_of_unknown_targets_publish_nothing()
    {
        var runtime = new ForwarderRuntime(TestConfigs.LoadValid(Config), LoadBalancerConfigs.OwnMac, 1, new FakeSteeringMaps());
        long version = runtime.Published.Snapshot.Version;
        var marks = new Dictionary<string, HealthMark>
        {
            [TargetOf(runtime, Down)] = new(true, 2, 0),
            ["10.9.9.9:80 tcp"] = new(false, 0, 5),
            ["not a target at all"] = new(false, 0, 1),
        };

        Assert.Equal(0, HandedOverHealth.ApplyDown(runtime, marks));
        Assert.Equal(0, HandedOverHealth.ApplyDown(runtime, new Dictionary<string, HealthMark>()));

        Assert.Empty(runtime.DownBackends);
        Assert.Equal(version, runtime.Published.Snapshot.Version);
    }

    private static string TargetOf(ForwarderRuntime runtime, IPAddress backend)
    {
        VipConfig vip = runtime.Config.Vips[0];
        return HealthTargets.For(vip, vip.Backends.Single(b => b.Address.Equals(backend)))!.ToString();
    }

    private static bool SlotsName(ForwarderRuntime runtime, IPAddress backend)
    {
        ConfiguredVip configured = runtime.Published.Vips[0];
        int id = configured.Backends.ToList().FindIndex(b => b.Address.Equals(backend));
        return configured.Entry.Slots is { } slots && slots.Contains(id);
    }
}
