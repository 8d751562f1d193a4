using System.Net;
using System.Runtime.Versioning;
using Forwarder.Configuration;
using Forwarder.Packets;
using Forwarder.Tests.Configuration;

namespace Forwarder.Tests.Testing;

/// <summary>The shared configuration builder writes files the forwarder reads as meant.</summary>
[SupportedOSPlatform("linux")]
public sealed class ConfigBuilderTests
{
    [Fact]
    public void Standard_is_one_tcp_vip_on_port_80_over_three_ipip_backends()
    {
        ForwarderConfig config = TestConfigs.LoadValid(ConfigBuilder.Standard().ToYaml());

        Assert.Equal("eth0", config.Interface.Name);
        VipConfig vip = Assert.Single(config.Vips);
        Assert.Equal(IPAddress.Parse(ConfigBuilder.StandardVip), vip.Address);
        Assert.Equal(80, vip.Port);
        Assert.Equal(VipProtocol.Tcp, vip.Protocol);
        Assert.Equal(ForwardingMode.Ipip, vip.Mode);
        Assert.Equal(new[] { "10.0.0.1", "10.0.0.2", "10.0.0.3" }, vip.Backends.Select(b => b.Address.ToString()));
    }

    [Fact]
    public void Every_setting_it_writes_is_read_back()
    {
        string yaml = ConfigBuilder.WithoutVips()
            .Interface("eth7", queues: [0, 1], cores: [2, 3])
            .RouterMac("02:00:00:00:00:fe")
            .Mtu(9000)
            .Gue(sourceV4: "10.0.0.254", sourceV6: "fc00::fe")
            .Setting("limits: { table_memory: 1536MiB }")
            .Vip("10.100.0.4", 443, "udp", v => v.Mode("nat").HealthCheck("type: tcp, fall: 3").Maglev(ringSize: 1009, version: "v1")
                .Backend("10.0.1.1", port: 8443, weight: 3).Backend("10.0.1.2", port: 8443))
            .Vip("10.100.0.5", configure: v => v.Mode("dsr-l2").Flags("no_source_port").Backend("10.0.2.1", mac: "02:00:00:00:00:b1"))
            .Vip("10.100.0.6", 80, "tcp", v => v.NoBackends())
            .ToYaml();

        ForwarderConfig config = TestConfigs.LoadValid(yaml);

        Assert.Equal("eth7", config.Interface.Name);
        Assert.Equal(new[] { 0, 1 }, config.Interface.Queues);
        Assert.Equal(new[] { 2, 3 }, config.Interface.Cores);
        Assert.Equal(9000, config.Mtu);
        Assert.Equal(1536L << 20, config.Limits.TableMemory);
        Assert.Equal(3, config.Vips.Count);
        VipConfig nat = config.Vips[0];
        Assert.Equal((ForwardingMode.Nat, (ushort)443, VipProtocol.Udp, 1009, 3), (nat.Mode, nat.Port, nat.Protocol, nat.Maglev.RingSize, nat.HealthCheck!.Fall));
        Assert.Equal(new[] { (8443, 3u), (8443, 1u) }, nat.Backends.Select(b => ((int)b.Port!, b.Weight)));
        Assert.Equal(ForwardingMode.DsrL2, config.Vips[1].Mode);
        Assert.Empty(config.Vips[2].Backends);
    }
}
