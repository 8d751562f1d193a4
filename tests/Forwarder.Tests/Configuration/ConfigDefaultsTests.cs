using System.Net;
using System.Runtime.Versioning;
using AfXdp;
using Forwarder.Configuration;
using Forwarder.Hashing;
using Forwarder.Maglev;
using Forwarder.Packets;

namespace Forwarder.Tests.Configuration;

/// <summary>What a setting left out means, and that writing a configuration and loading it again changes nothing.</summary>
[SupportedOSPlatform("linux")]
public class ConfigDefaultsTests
{
    [Fact]
    public void A_minimal_file_takes_the_documented_defaults()
    {
        ForwarderConfig config = TestConfigs.LoadValid(TestConfigs.Minimal);

        Assert.Equal([0], config.Interface.Queues);
        Assert.Equal([0], config.Interface.Cores);
        Assert.Equal(XdpMode.Native, config.Interface.XdpMode);
        Assert.Null(config.Interface.Mtu);
        Assert.Equal(1500, config.Mtu);
        Assert.Equal(1500, config.InterfaceMtu);
        Assert.Equal(6080, config.Gue.Port);
        Assert.Null(config.Gue.SourceV4);
        Assert.Null(config.Gue.SourceV6);

        VipConfig vip = Assert.Single(config.Vips);
        Assert.Equal(IPAddress.Parse("10.100.0.1"), vip.Address);
        Assert.Equal((ushort)0, vip.Port);
        Assert.Equal(VipProtocol.Any, vip.Protocol);
        Assert.Equal(ForwardingMode.Ipip, vip.Mode);
        Assert.Equal(VipFlags.None, vip.Flags);
        Assert.Equal(FlowHashOptions.ZeroDestinationPort, vip.HashOptions);
        Assert.Equal(MaglevVersion.V2, vip.Maglev.Version);
        Assert.Equal(65537, vip.Maglev.RingSize);
        Assert.Null(vip.HealthCheck);

        BackendConfig backend = Assert.Single(vip.Backends);
        Assert.Equal(1u, backend.Weight);
        Assert.Null(backend.Mac);
        Assert.Null(backend.Port);
    }

    [Fact]
    public void Cores_default_to_the_queue_numbers()
    {
        ForwarderConfig config = TestConfigs.LoadValid(TestConfigs.Minimal.Replace("  name: eth0", "  name: eth0\n  queues: [3, 1]"));
        Assert.Equal([3, 1], config.Interface.Cores);
    }

    [Fact]
    public void The_interface_mtu_overrides_the_global_one()
    {
        ForwarderConfig config = TestConfigs.LoadValid(TestConfigs.Minimal.Replace("  name: eth0", "  name: eth0\n  mtu: 9000") + "\nmtu: 1400\n");
        Assert.Equal(1400, config.Mtu);
        Assert.Equal(9000, config.InterfaceMtu);
    }

    [Fact]
    public void A_health_check_takes_its_defaults()
    {
        ForwarderConfig config = TestConfigs.LoadValid(TestConfigs.Prelude + """
              - address: 10.100.0.1
                port: 80
                backends: []
                healthcheck: { type: http }
              - address: 10.100.0.1
                port: 81
                backends: []
                healthcheck: { interval_ms: 60 }
            """);
        HealthCheckConfig http = config.Vips[0].HealthCheck!;
        Assert.Equal(HealthCheckKind.Http, http.Kind);
        Assert.Equal("/", http.Path);
        Assert.Null(http.Port);
        Assert.Null(http.ExpectStatus); // any 2xx
        Assert.Equal(TimeSpan.FromMilliseconds(100), http.Interval);
        Assert.Equal(TimeSpan.FromMilliseconds(100), http.Timeout);
        Assert.Equal(2, http.Rise);
        Assert.Equal(2, http.Fall);

        HealthCheckConfig fast = config.Vips[1].HealthCheck!;
        Assert.Equal(HealthCheckKind.Tcp, fast.Kind);
        Assert.Null(fast.Path);
        Assert.Equal(TimeSpan.FromMilliseconds(60), fast.Timeout); // the interval when shorter than 100 ms
    }

    [Fact]
    public void Writing_the_defaults_spells_out_every_setting_and_loads_back_the_same()
    {
        ForwarderConfig config = TestConfigs.LoadValid(TestConfigs.Minimal);
        string written = ForwarderConfigWriter.Write(config);

        Assert.Contains("xdp_mode: native", written, StringComparison.Ordinal);
        Assert.Contains("mtu: 1500", written, StringComparison.Ordinal);
        Assert.Contains("port: 6080", written, StringComparison.Ordinal);
        Assert.Contains("protocol: any", written, StringComparison.Ordinal);
        Assert.Contains("mode: ipip", written, StringComparison.Ordinal);
        Assert.Contains("ring_size: 65537", written, StringComparison.Ordinal);
        Assert.Contains("weight: 1", written, StringComparison.Ordinal);

        ForwarderConfig reloaded = TestConfigs.LoadValid(written);
        Assert.Equal(config, reloaded);
        Assert.Equal(written, ForwarderConfigWriter.Write(reloaded));
    }

    [Fact]
    public void Writing_the_example_loads_back_the_same()
    {
        ConfigLoadResult example = ForwarderConfigLoader.LoadFile(ConfigFiles.Example);
        Assert.True(example.IsValid, string.Join('\n', example.Errors));
        string written = ForwarderConfigWriter.Write(example.Config);

        ForwarderConfig reloaded = TestConfigs.LoadValid(written);
        Assert.Equal(example.Config, reloaded);
        Assert.Equal(written, ForwarderConfigWriter.Write(reloaded));
    }

    [Fact]
    public void An_empty_config_writes_empty_lists()
    {
        ForwarderConfig config = TestConfigs.LoadValid(TestConfigs.Prelude.Replace("vips:", "vips: []"));
        string written = ForwarderConfigWriter.Write(config);
        Assert.Contains("vips: []", written, StringComparison.Ordinal);
        Assert.Empty(TestConfigs.LoadValid(written).Vips);
    }

    [Fact]
    public void Two_loads_of_one_file_are_equal_and_a_change_is_not()
    {
        ForwarderConfig first = TestConfigs.LoadValid(TestConfigs.Minimal);
        ForwarderConfig second = TestConfigs.LoadValid(TestConfigs.Minimal);
        ForwarderConfig heavier = TestConfigs.LoadValid(TestConfigs.Minimal + "\n        weight: 2");
        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
        Assert.NotEqual(first, heavier);
    }
}
