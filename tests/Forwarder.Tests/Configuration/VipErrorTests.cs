using System.Runtime.Versioning;
using Forwarder.Configuration;

namespace Forwarder.Tests.Configuration;

/// <summary>Errors in a VIP's own settings and between VIPs. VIPs given to <see cref="TestConfigs.WithVips"/> start on line 5.</summary>
[SupportedOSPlatform("linux")]
public class VipErrorTests
{
    [Theory]
    [InlineData("10.100.0.300", "'10.100.0.300' is not an IPv4 or IPv6 address")]
    [InlineData("10.100", "'10.100' is not an IPv4 or IPv6 address")]
    [InlineData("010.100.0.1", "is not an IPv4 or IPv6 address")]
    [InlineData("fe80::1%eth0", "is not an IPv4 or IPv6 address")]
    [InlineData("0.0.0.0", "0.0.0.0 is the unspecified address")]
    [InlineData("\"::\"", ":: is the unspecified address")]
    [InlineData("127.0.0.1", "is a loopback address")]
    [InlineData("255.255.255.255", "is the broadcast address")]
    [InlineData("224.0.0.1", "is a multicast address")]
    [InlineData("ff02::1", "is a multicast address")]
    public void A_vip_address_must_be_a_unicast_address(string address, string fragment)
    {
        ConfigLoadResult result = TestConfigs.WithVips($"  - address: {address}\n    backends: []\n");
        TestConfigs.AssertOnlyError(result, "vips[0].address", 5, 14, fragment);
    }

    [Fact]
    public void An_unquoted_address_ending_in_a_colon_gets_a_hint()
    {
        ConfigLoadResult result = TestConfigs.WithVips("  - address: fc00::\n    backends: []\n");
        ConfigDiagnostic error = Assert.Single(result.Errors);
        Assert.Equal(5, error.Line);
        Assert.EndsWith("a value ending in ':' (such as an IPv6 address ending in '::') must be quoted", error.Message, StringComparison.Ordinal);
        Assert.True(TestConfigs.WithVips("  - address: \"fc00::\"\n    backends: []\n").IsValid);
    }

    [Fact]
    public void An_ipv4_mapped_address_is_taken_as_ipv4()
    {
        ForwarderConfig config = TestConfigs.LoadValid(TestConfigs.Prelude + "  - address: ::ffff:10.100.0.1\n    backends: []\n");
        Assert.Equal(System.Net.IPAddress.Parse("10.100.0.1"), config.Vips[0].Address);
    }

    [Fact]
    public void A_vip_without_address_or_backends_is_reported_at_the_vip()
    {
        ConfigLoadResult result = TestConfigs.WithVips("  - port: 80\n");
        TestConfigs.AssertError(result, "vips[0].address", 5, 5, "missing; give the VIP's IPv4 or IPv6 address");
        TestConfigs.AssertError(result, "vips[0].backends", 5, 5, "missing; give the list of backends");
        Assert.Equal(2, result.Errors.Count);
    }

    [Theory]
    [InlineData("port: 65536", "vips[0].port", 6, 11, "65536 is out of range; expected a whole number from 0 to 65535")]
    [InlineData("protocol: sctp", "vips[0].protocol", 6, 15, "'sctp' is not one of: any, tcp, udp")]
    [InlineData("mode: dsr", "vips[0].mode", 6, 11, "'dsr' is not one of: ipip, gue, dsr-l2, nat")]
    [InlineData("flags: no_source_port", "vips[0].flags", 6, 12, "expected a list of flags (no_source_port, dport_only, src_dst_port)")]
    [InlineData("flags: [no_src_port]", "vips[0].flags[0]", 6, 13, "'no_src_port' is not one of: no_source_port, dport_only, src_dst_port")]
    [InlineData("maglev: { ring_size: 65536 }", "vips[0].maglev.ring_size", 6, 26, "65536 is not prime")]
    [InlineData("maglev: { ring_size: 1 }", "vips[0].maglev.ring_size", 6, 26, "1 is out of range; expected a whole number from 2 to 16777216")]
    [InlineData("maglev: { version: v3 }", "vips[0].maglev.version", 6, 24, "'v3' is not one of: v2, v1")]
    [InlineData("maglev: v2", "vips[0].maglev", 6, 13, "expected a mapping of settings, got 'v2'")]
    [InlineData("backends: 10.0.0.1", "vips[0].backends", 6, 15, "expected a list of backends, got '10.0.0.1'")]
    [InlineData("wieght: 3", "vips[0].wieght", 6, 5, "unknown key 'wieght'; expected one of: address, port, protocol, mode, flags, quic, maglev, backends, healthcheck")]
    [InlineData("porst: 80", "vips[0].porst", 6, 5, "unknown key 'porst'; did you mean 'port'?")]
    public void A_bad_vip_setting_names_its_field(string setting, string path, int line, int column, string fragment)
    {
        string backends = setting.StartsWith("backends", StringComparison.Ordinal) ? "" : "    backends: []\n";
        ConfigLoadResult result = TestConfigs.WithVips($"  - address: 10.100.0.1\n    {setting}\n{backends}");
        TestConfigs.AssertOnlyError(result, path, line, column, fragment);
    }

    [Fact]
    public void The_same_address_port_and_protocol_twice_is_refused_at_the_second_vip()
    {
        ConfigLoadResult result = TestConfigs.WithVips("""
              - address: 10.100.0.1
                port: 80
                protocol: tcp
                backends: []
              - address: 10.100.0.1
                port: 80
                backends: []
              - address: 10.100.0.1
                port: 80
                protocol: udp
                backends: []
              - address: 10.100.0.1
                backends: []
            """);
        // vips[1] (any = tcp and udp) repeats vips[0]'s tcp; vips[2] repeats vips[1]'s udp; the port-0 VIP is distinct.
        TestConfigs.AssertError(result, "vips[1]", 9, 5, "10.100.0.1 port 80 tcp is already served by vips[0] (line 5)");
        TestConfigs.AssertError(result, "vips[2]", 12, 5, "10.100.0.1 port 80 udp is already served by vips[1] (line 9)");
        Assert.Equal(2, result.Errors.Count);
    }

    [Fact]
    public void A_vip_whose_port_is_invalid_is_not_also_reported_as_a_duplicate()
    {
        ConfigLoadResult result = TestConfigs.WithVips("""
              - address: 10.100.0.1
                backends: []
              - address: 10.100.0.1
                port: -5
                backends: []
            """);
        TestConfigs.AssertOnlyError(result, "vips[1].port", 8, 11, "-5 is out of range");
    }

    [Fact]
    public void A_health_check_is_validated()
    {
        ConfigLoadResult result = TestConfigs.WithVips("""
              - address: 10.100.0.1
                backends: []
                healthcheck:
                  type: tcp
                  path: /healthz
                  interval_ms: 20
                  timeout: 3
            """);
        TestConfigs.AssertError(result, "vips[0].healthcheck.port", 8, 7, "missing; this VIP serves every port (port 0), so give the port to probe");
        TestConfigs.AssertError(result, "vips[0].healthcheck.path", 9, 13, "a path is used only by type: http");
        TestConfigs.AssertError(result, "vips[0].healthcheck.interval_ms", 10, 20, "20 is out of range; expected a whole number from 50 to 3600000");
        TestConfigs.AssertError(result, "vips[0].healthcheck.timeout", 11, 7, "unknown key 'timeout'; did you mean 'timeout_ms'?");
        Assert.Equal(4, result.Errors.Count);
    }

    [Fact]
    public void A_health_check_timeout_may_not_exceed_its_interval()
    {
        ConfigLoadResult result = TestConfigs.WithVips("""
              - address: 10.100.0.1
                port: 80
                backends: []
                healthcheck: { type: http, path: healthz, interval_ms: 1000, timeout_ms: 1500 }
            """);
        TestConfigs.AssertError(result, "vips[0].healthcheck.path", 8, 38, "'healthz' is not an HTTP path");
        TestConfigs.AssertError(result, "vips[0].healthcheck.timeout_ms", 8, 78, "1500 ms is longer than interval_ms (1000 ms)");
        Assert.Equal(2, result.Errors.Count);
    }
}
