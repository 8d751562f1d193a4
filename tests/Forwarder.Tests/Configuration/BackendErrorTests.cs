using System.Runtime.Versioning;
using Forwarder.Configuration;

namespace Forwarder.Tests.Configuration;

/// <summary>Errors in backends: their own fields, what the VIP's mode requires, and checks across a VIP's backends.</summary>
[SupportedOSPlatform("linux")]
public class BackendErrorTests
{
    /// <summary>A VIP (line 5) with <paramref name="settings"/> (from line 6) and <paramref name="backends"/> (the first from line 8).</summary>
    private static ConfigLoadResult Vip(string settings, string backends) =>
        TestConfigs.WithVips($"  - address: 10.100.0.1\n    {settings}\n    backends:\n{backends}");

    [Fact]
    public void A_bad_backend_address_names_its_place()
    {
        ConfigLoadResult result = Vip("port: 80", "      - address: 10.0.0.1\n      - address: 10.0.0.2\n      - address: 10.0.0.300\n");
        ConfigDiagnostic error = TestConfigs.AssertOnlyError(result, "vips[0].backends[2].address", 10, 18, "'10.0.0.300' is not an IPv4 or IPv6 address");
        Assert.Equal("vips[0].backends[2].address (line 10, col 18): '10.0.0.300' is not an IPv4 or IPv6 address", error.ToString());
    }

    [Theory]
    [InlineData("weight: -1", 17, "-1 is out of range; expected a whole number from 0 to 2147483647")]
    [InlineData("weight: 2147483648", 17, "out of range")]
    [InlineData("weight: heavy", 17, "expected a whole number from 0 to 2147483647, got 'heavy'")]
    [InlineData("weight:", 16, "expected a whole number from 0 to 2147483647, got no value")]
    public void A_weight_is_a_whole_number_in_range(string weight, int column, string fragment)
    {
        ConfigLoadResult result = Vip("port: 80", $"      - address: 10.0.0.1\n        {weight}\n");
        TestConfigs.AssertOnlyError(result, "vips[0].backends[0].weight", 9, column, fragment);
    }

    [Fact]
    public void A_missing_backend_address_is_reported_at_the_backend()
    {
        ConfigLoadResult result = Vip("port: 80", "      - weight: 2\n");
        TestConfigs.AssertOnlyError(result, "vips[0].backends[0].address", 8, 9, "missing; give the backend's IPv4 or IPv6 address");
    }

    [Fact]
    public void A_backend_that_is_not_a_mapping_is_refused()
    {
        ConfigLoadResult result = Vip("port: 80", "      - 10.0.0.1\n");
        TestConfigs.AssertOnlyError(result, "vips[0].backends[0]", 8, 9, "expected a backend (a mapping with at least an address), got '10.0.0.1'");
    }

    [Fact]
    public void Dsr_l2_requires_a_mac_for_every_backend()
    {
        ConfigLoadResult result = Vip("mode: dsr-l2", "      - address: 10.0.0.1\n        mac: 02:00:00:00:00:0a\n      - address: 10.0.0.2\n      - address: 10.0.0.3\n        mac: 02:00:00:00:0a\n");
        TestConfigs.AssertError(result, "vips[0].backends[1].mac", 10, 9, "missing; dsr-l2 sends frames straight to the backend");
        TestConfigs.AssertError(result, "vips[0].backends[2].mac", 12, 14, "'02:00:00:00:0a' is not a MAC address like 02:00:00:00:00:01");
        Assert.Equal(2, result.Errors.Count);
    }

    [Theory]
    [InlineData("ipip")]
    [InlineData("gue")]
    [InlineData("nat")]
    public void A_mac_outside_dsr_l2_is_refused(string mode)
    {
        ConfigLoadResult result = Vip($"mode: {mode}", "      - address: 10.0.0.1\n        mac: 02:00:00:00:00:0a\n");
        TestConfigs.AssertError(result, "vips[0].backends[0].mac", 9, 14, $"a backend MAC is used only by dsr-l2; this VIP forwards with {mode}");
    }

    [Theory]
    [InlineData("ipip")]
    [InlineData("dsr-l2")]
    public void A_backend_port_outside_nat_is_refused(string mode)
    {
        ConfigLoadResult result = Vip($"mode: {mode}", "      - address: 10.0.0.1\n        mac: 02:00:00:00:00:0a\n        port: 8080\n");
        TestConfigs.AssertError(result, "vips[0].backends[0].port", 10, 15, $"a backend port is used only by nat; under {mode}");
    }

    [Fact]
    public void Nat_backends_take_a_port_and_the_vips_family()
    {
        ConfigLoadResult result = TestConfigs.WithVips("""
              - address: 10.100.0.1
                port: 443
                mode: nat
                backends:
                  - address: 10.0.0.1
                    port: 8443
                  - address: fc00::1
                  - address: 10.0.0.2
                    port: 0
            """);
        TestConfigs.AssertError(result, "vips[0].backends[1].address", 11, 18, "fc00::1 is IPv6 but the VIP is IPv4; nat cannot translate between families");
        TestConfigs.AssertError(result, "vips[0].backends[2].port", 13, 15, "0 is out of range; expected a whole number from 1 to 65535");
        Assert.Equal(2, result.Errors.Count);
    }

    [Fact]
    public void A_nat_backend_port_needs_a_vip_port()
    {
        ConfigLoadResult result = Vip("mode: nat", "      - address: 10.0.0.1\n        port: 8080\n");
        TestConfigs.AssertOnlyError(result, "vips[0].backends[0].port", 9, 15, "this VIP serves every port (port 0)");
    }

    [Fact]
    public void A_backend_listed_twice_is_refused_at_its_second_place()
    {
        ConfigLoadResult result = Vip("port: 80", "      - address: 10.0.0.1\n      - address: 10.0.0.2\n      - address: 10.0.0.1\n        weight: 5\n");
        TestConfigs.AssertOnlyError(result, "vips[0].backends[2].address", 10, 18, "10.0.0.1 is already backends[0] (line 8)");
    }

    [Fact]
    public void Nat_backends_on_one_address_with_different_ports_are_distinct()
    {
        ConfigLoadResult result = Vip("port: 80\n    mode: nat", "      - address: 10.0.0.1\n        port: 8080\n      - address: 10.0.0.1\n        port: 8081\n");
        Assert.True(result.IsValid, string.Join('\n', result.Errors));
    }

    [Fact]
    public void A_backend_cannot_be_the_vip_itself()
    {
        ConfigLoadResult result = Vip("port: 80", "      - address: 10.100.0.1\n");
        TestConfigs.AssertOnlyError(result, "vips[0].backends[0].address", 8, 18, "10.100.0.1 is the VIP's own address");
    }

    [Fact]
    public void An_ipv6_vip_cannot_be_encapsulated_towards_an_ipv4_backend()
    {
        ConfigLoadResult result = TestConfigs.WithVips("  - address: fc00::1\n    backends:\n      - address: fc00::2\n      - address: 10.0.0.1\n");
        TestConfigs.AssertOnlyError(result, "vips[0].backends[1].address", 8, 18, "10.0.0.1 is IPv4 but the VIP is IPv6; ipip carries IPv6 packets to IPv6 backends only");
    }

    [Fact]
    public void A_gue_vip_needs_the_outer_source_of_each_backend_family()
    {
        ConfigLoadResult result = TestConfigs.WithVips("""
              - address: 10.100.0.1
                mode: gue
                backends:
                  - address: 10.0.0.1
                  - address: fc00::1
                  - address: fc00::2
            """);
        TestConfigs.AssertError(result, "vips[0].backends[0].address", 8, 18, "10.0.0.1 is IPv4 and the VIP uses gue, which needs gue.source_v4");
        TestConfigs.AssertError(result, "vips[0].backends[1].address", 9, 18, "fc00::1 is IPv6 and the VIP uses gue, which needs gue.source_v6");
        Assert.Equal(2, result.Errors.Count); // one per family, not one per backend
    }

    [Fact]
    public void A_gue_vip_loads_once_the_sources_are_given()
    {
        ForwarderConfig config = TestConfigs.LoadValid("""
            interface: { name: eth0 }
            router_mac: 02:00:00:00:00:01
            gue: { port: 9000, source_v6: fc00::ff }
            vips:
              - address: 10.100.0.1
                mode: gue
                backends: [{ address: fc00::1 }]
            """);
        Assert.Equal(9000, config.Gue.Port);
        Assert.Null(config.Gue.SourceV4);
    }
}
