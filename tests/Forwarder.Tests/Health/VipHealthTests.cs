using System.Net;
using System.Runtime.Versioning;
using Forwarder.Configuration;
using Forwarder.Health;
using Forwarder.Packets;

namespace Forwarder.Tests.Health;

/// <summary>Which targets a configuration asks for, and how a VIP's health reads from the monitor's snapshot.</summary>
[SupportedOSPlatform("linux")]
public sealed class VipHealthTests
{
    private static readonly HealthCheckConfig Tcp = new();
    private static readonly IPAddress A = IPAddress.Parse("10.0.0.1"), B = IPAddress.Parse("10.0.0.2");

    private static VipConfig Vip(ushort port, HealthCheckConfig? check, ForwardingMode mode = ForwardingMode.Ipip, params BackendConfig[] backends) => new()
    {
        Address = IPAddress.Parse("10.100.0.1"),
        Port = port,
        Mode = mode,
        HealthCheck = check,
        Backends = backends.ToEquatableArray(),
    };

    private static BackendConfig Backend(IPAddress address, ushort? port = null) => new() { Address = address, Port = port };

    private static BackendHealthStatus Status(bool healthy) => new() { Healthy = healthy, LastChange = DateTimeOffset.UnixEpoch };

    [Fact]
    public void The_probed_port_is_the_checks_then_the_backends_then_the_vips()
    {
        Assert.Equal([new HealthTarget(A, 80, Tcp)], HealthTargets.Of(Vip(80, Tcp, ForwardingMode.Ipip, Backend(A))));
        HealthCheckConfig on8080 = Tcp with { Port = 8080 };
        Assert.Equal([new HealthTarget(A, 8080, on8080)], HealthTargets.Of(Vip(80, on8080, ForwardingMode.Ipip, Backend(A))));
        Assert.Equal([new HealthTarget(A, 9000, Tcp), new HealthTarget(B, 80, Tcp)],
            HealthTargets.Of(Vip(80, Tcp, ForwardingMode.Nat, Backend(A, 9000), Backend(B))));
    }

    [Fact]
    public void A_vip_without_a_check_has_no_targets_and_vips_sharing_a_target_probe_it_once()
    {
        Assert.Empty(HealthTargets.Of(Vip(80, null, ForwardingMode.Ipip, Backend(A))));
        var config = new ForwarderConfig
        {
            Interface = new InterfaceConfig { Name = "eth0" },
            RouterMac = new System.Net.NetworkInformation.PhysicalAddress([2, 0, 0, 0, 0, 1]),
            Vips = [Vip(80, Tcp, ForwardingMode.Ipip, Backend(A), Backend(B)), Vip(80, Tcp, ForwardingMode.Gue, Backend(A))],
        };
        Assert.Equal(2, HealthTargets.Of(config).Count);
    }

    [Fact]
    public void A_vip_whose_backends_are_all_down_says_so()
    {
        VipConfig vip = Vip(80, Tcp, ForwardingMode.Ipip, Backend(A), Backend(B));
        var snapshot = new Dictionary<HealthTarget, BackendHealthStatus>
        {
            [new HealthTarget(A, 80, Tcp)] = Status(false),
            [new HealthTarget(B, 80, Tcp)] = Status(true),
        };
        VipHealth some = VipHealth.Of(vip, snapshot);
        Assert.Equal((2, 1, false), (some.Backends, some.Healthy, some.AllDown));
        Assert.Equal([new BackendId(A, null)], some.Down);

        snapshot[new HealthTarget(B, 80, Tcp)] = Status(false);
        VipHealth none = VipHealth.Of(vip, snapshot);
        Assert.True(none.AllDown);
        Assert.Equal([new BackendId(A, null), new BackendId(B, null)], none.Down);
    }

    [Fact]
    public void Two_nat_ports_of_one_address_are_two_backends_each_with_its_own_health()
    {
        VipConfig vip = Vip(80, Tcp, ForwardingMode.Nat, Backend(A, 8080), Backend(A, 8081));
        var snapshot = new Dictionary<HealthTarget, BackendHealthStatus>
        {
            [new HealthTarget(A, 8080, Tcp)] = Status(false),
            [new HealthTarget(A, 8081, Tcp)] = Status(true),
        };

        Assert.Equal(2, HealthTargets.Of(vip).Count);
        VipHealth health = VipHealth.Of(vip, snapshot);
        Assert.Equal((2, 1, false), (health.Backends, health.Healthy, health.AllDown));
        Assert.Equal([new BackendId(A, 8080)], health.Down);
    }

    [Fact]
    public void Unchecked_and_not_yet_monitored_backends_count_as_healthy_and_no_backends_is_not_all_down()
    {
        var empty = new Dictionary<HealthTarget, BackendHealthStatus>();
        Assert.Equal(1, VipHealth.Of(Vip(80, Tcp, ForwardingMode.Ipip, Backend(A)), empty).Healthy);
        Assert.Equal(1, VipHealth.Of(Vip(80, null, ForwardingMode.Ipip, Backend(A)), empty).Healthy);
        Assert.False(VipHealth.Of(Vip(80, Tcp), empty).AllDown);
    }
}
