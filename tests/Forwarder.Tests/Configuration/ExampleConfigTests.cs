using System.Net;
using System.Runtime.Versioning;
using AfXdp;
using Forwarder.Configuration;
using Forwarder.Hashing;
using Forwarder.Maglev;
using Forwarder.Packets;

namespace Forwarder.Tests.Configuration;

/// <summary>The shipped example loads, means what its comments say, and is the one the documentation shows.</summary>
[SupportedOSPlatform("linux")]
public class ExampleConfigTests
{
    private static ForwarderConfig LoadExample()
    {
        ConfigLoadResult result = ForwarderConfigLoader.LoadFile(ConfigFiles.Example);
        Assert.True(result.IsValid, string.Join('\n', result.Errors));
        Assert.Empty(result.Warnings);
        return result.Config!;
    }

    [Fact]
    public void The_example_loads_without_errors_or_warnings()
    {
        ForwarderConfig config = LoadExample();
        Assert.Equal("eth0", config.Interface.Name);
        Assert.Equal([0, 1], config.Interface.Queues);
        Assert.Equal([2, 3], config.Interface.Cores);
        Assert.Equal(XdpMode.Native, config.Interface.XdpMode);
        Assert.Equal("020000000001", config.RouterMac.ToString());
        Assert.Equal(1500, config.InterfaceMtu);
        Assert.Equal(6080, config.Gue.Port);
        Assert.Equal(IPAddress.Parse("10.0.0.254"), config.Gue.SourceV4);
        Assert.Equal(IPAddress.Parse("fc00::fe"), config.Gue.SourceV6);
        Assert.Equal(7, config.Vips.Count);
    }

    [Fact]
    public void The_example_shows_every_mode_and_option()
    {
        ForwarderConfig config = LoadExample();
        Assert.Equal(
            [ForwardingMode.Ipip, ForwardingMode.Ipip, ForwardingMode.Ipip, ForwardingMode.Gue, ForwardingMode.DsrL2, ForwardingMode.Nat, ForwardingMode.Ipip],
            config.Vips.Select(v => v.Mode));

        VipConfig web = config.Vips[0];
        Assert.Equal((ushort)80, web.Port);
        Assert.Equal(VipProtocol.Tcp, web.Protocol);
        Assert.Equal([100u, 100u, 50u], web.Backends.Select(b => b.Weight));
        Assert.Equal(HealthCheckKind.Http, web.HealthCheck!.Kind);
        Assert.Equal("/healthz", web.HealthCheck.Path);

        // The anchored pool is shared by both web VIPs.
        Assert.Equal(web.Backends.Select(b => b.Address), config.Vips[1].Backends.Select(b => b.Address));

        VipConfig anyPort = config.Vips[3];
        Assert.Equal((ushort)0, anyPort.Port);
        Assert.Equal(VipProtocol.Any, anyPort.Protocol);
        Assert.Equal(VipFlags.NoSourcePort, anyPort.Flags);
        Assert.Equal(FlowHashOptions.ZeroSourcePort | FlowHashOptions.ZeroDestinationPort, anyPort.HashOptions);

        VipConfig dns = config.Vips[4];
        Assert.Equal(MaglevVersion.V1, dns.Maglev.Version);
        Assert.Equal(MaglevRingSize.Large, dns.Maglev.RingSize);
        Assert.All(dns.Backends, b => Assert.NotNull(b.Mac));

        VipConfig nat = config.Vips[5];
        Assert.Equal([(ushort?)443, 443, null], nat.Backends.Select(b => b.Port));
        Assert.Equal(0u, nat.Backends[2].Weight);

        VipConfig quic = config.Vips[6];
        Assert.True(quic.Quic);
        Assert.Equal(VipProtocol.Udp, quic.Protocol);
        Assert.Equal([(uint?)1031, 1032], quic.Backends.Select(b => b.ServerId));
    }

    [Fact]
    public void The_documentation_shows_the_example_file_verbatim()
    {
        string example = File.ReadAllText(ConfigFiles.Example);
        string documentation = File.ReadAllText(ConfigFiles.Documentation);
        Assert.Contains("```yaml\n" + example + "```", documentation, StringComparison.Ordinal);
    }

    [Fact]
    public void The_documentation_names_every_key_the_example_uses()
    {
        string documentation = File.ReadAllText(ConfigFiles.Documentation);
        string[] keys = File.ReadAllLines(ConfigFiles.Example)
            .Select(line => line.Trim().TrimStart('-', ' '))
            .Where(line => !line.StartsWith('#'))
            .Where(line => line.Contains(':') && char.IsAsciiLetterLower(line.FirstOrDefault()))
            .Select(line => line[..line.IndexOf(':')])
            .Where(key => key.All(c => char.IsAsciiLetterLower(c) || c == '_'))
            .Distinct()
            .ToArray();
        Assert.NotEmpty(keys);
        Assert.All(keys, key => Assert.Contains($"| `{key}` |", documentation, StringComparison.Ordinal));
    }
}
