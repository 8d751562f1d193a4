using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using AfXdp;
using Forwarder.Configuration;
using Forwarder.Hosting;
using Forwarder.Steering;

namespace Forwarder.Tests.Configuration;

/// <summary>A configuration becomes the options <c>forwarder run</c> starts with.</summary>
[SupportedOSPlatform("linux")]
public class ForwarderConfigMappingTests
{
    [Fact]
    public void The_example_becomes_run_options()
    {
        ConfigLoadResult result = ForwarderConfigLoader.LoadFile(ConfigFiles.Example);
        Assert.True(result.IsValid, string.Join('\n', result.Errors));

        ForwarderOptions options = ForwarderConfigMapping.ToForwarderOptions(result.Config);

        Assert.Equal("eth0", options.Interface);
        Assert.Equal([new QueueAssignment(0, 2), new QueueAssignment(1, 3)], options.Queues);
        Assert.Equal([0x02, 0, 0, 0, 0, 0x01], options.NextHopMac);
        Assert.Equal(XdpMode.Native, options.XdpMode);
        Assert.Equal(
            ["10.100.0.1:80/tcp", "10.100.0.1:443/tcp", "[fc00::1]:443/tcp", "10.100.0.4:*/tcp+udp", "10.100.0.2:53/udp", "10.100.0.3:8443/tcp",
                "10.100.0.5:443/udp"],
            options.Vips.Select(v => v.ToString()));
    }

    [Fact]
    public void A_vip_spec_matches_what_the_command_line_would_give()
    {
        var vip = new VipConfig { Address = IPAddress.Parse("fc00::1"), Port = 443, Protocol = VipProtocol.Tcp };
        VipSpec fromConfig = VipSpec.Of(vip);
        VipSpec fromCommandLine = VipSpec.Parse("[fc00::1]:443/tcp");
        Assert.Equal(fromCommandLine.Address, fromConfig.Address);
        Assert.Equal(fromCommandLine.Port, fromConfig.Port);
        Assert.Equal(fromCommandLine.Protocols, fromConfig.Protocols);
        Assert.Equal(fromCommandLine.MapKeys(), fromConfig.MapKeys());
    }

    [Fact]
    public void An_any_protocol_vip_steers_tcp_and_udp()
    {
        var vip = new VipConfig { Address = IPAddress.Parse("10.100.0.1") };
        Assert.Equal([ProtocolType.Tcp, ProtocolType.Udp], VipSpec.Of(vip).Protocols);
    }

    [Fact]
    public void Settings_the_file_does_not_cover_keep_their_defaults_and_can_be_overridden()
    {
        ForwarderOptions options = ForwarderConfigMapping.ToForwarderOptions(TestConfigs.LoadValid(TestConfigs.Minimal));
        var defaults = new ForwarderOptions { Interface = "x", Queues = [], Vips = [], NextHopMac = [] };
        Assert.Equal(defaults.Umem, options.Umem);
        Assert.Equal(defaults.Worker, options.Worker);
        Assert.Equal(defaults.StatsInterval, options.StatsInterval);

        ForwarderOptions tuned = options with { StatsInterval = 0 };
        Assert.Equal(0, tuned.StatsInterval);
        Assert.Equal(options.Vips, tuned.Vips);
    }
}
