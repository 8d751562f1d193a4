using System.Runtime.Versioning;
using Forwarder.Configuration;

namespace Forwarder.Tests.Configuration;

/// <summary>A file is refused as a whole, with every error found, in file order.</summary>
[SupportedOSPlatform("linux")]
public class MultipleErrorsTests
{
    private const string BrokenFile = """
        interface:
          name: eth0
          queues: [0, 1, 1]
          xdp_mod: native
        router_mac: ff:ff:ff:ff:ff:ff
        vips:
          - address: 10.100.0.1
            port: 80
            protocol: tcp
            backends:
              - address: 10.0.0.1
                weigth: 3
              - address: 10.0.0.300
          - address: 10.100.0.1
            port: 80
            mode: dsr-l2
            maglev: { ring_size: 65536 }
            backends:
              - address: 10.0.0.5
          - address: 10.100.0.2
            backends: []
        """;

    [Fact]
    public void Every_error_is_reported_in_file_order_and_no_config_is_given()
    {
        ConfigLoadResult result = ForwarderConfigLoader.Load(BrokenFile);

        Assert.False(result.IsValid);
        Assert.Null(result.Config);
        Assert.Equal(
            [
                "interface.queues[2] (line 3, col 18): queue 1 is listed twice (also interface.queues[1]); each worker needs a queue of its own",
                "interface.xdp_mod (line 4, col 3): unknown key 'xdp_mod'; did you mean 'xdp_mode'?",
                "router_mac (line 5, col 13): ff:ff:ff:ff:ff:ff is a multicast or broadcast MAC address; give the station's own MAC",
                "vips[0].backends[0].weigth (line 12, col 9): unknown key 'weigth'; did you mean 'weight'?",
                "vips[0].backends[1].address (line 13, col 18): '10.0.0.300' is not an IPv4 or IPv6 address",
                "vips[1] (line 14, col 5): 10.100.0.1 port 80 tcp is already served by vips[0] (line 7); a VIP is one address, port and protocol",
                "vips[1].maglev.ring_size (line 17, col 26): 65536 is not prime; a Maglev ring size must be a prime, e.g. 65537 (the default) or 655373",
                "vips[1].backends[0].mac (line 19, col 9): missing; dsr-l2 sends frames straight to the backend: give its MAC on the local segment, e.g. 02:00:00:00:00:0a",
            ],
            result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Warnings_of_a_refused_file_are_still_reported()
    {
        ConfigLoadResult result = ForwarderConfigLoader.Load(BrokenFile);
        ConfigDiagnostic warning = Assert.Single(result.Warnings);
        Assert.Equal("vips[2].backends", warning.Path);
        Assert.Equal(20, warning.Line);
    }

    [Fact]
    public void Fixing_every_error_gives_a_valid_file()
    {
        string fixedFile = BrokenFile
            .Replace("[0, 1, 1]", "[0, 1]", StringComparison.Ordinal)
            .Replace("xdp_mod:", "xdp_mode:", StringComparison.Ordinal)
            .Replace("ff:ff:ff:ff:ff:ff", "02:00:00:00:00:01", StringComparison.Ordinal)
            .Replace("weigth", "weight", StringComparison.Ordinal)
            .Replace("10.0.0.300", "10.0.0.3", StringComparison.Ordinal)
            .Replace("    port: 80\n    mode: dsr-l2", "    port: 8080\n    mode: dsr-l2", StringComparison.Ordinal)
            .Replace("65536", "65537", StringComparison.Ordinal)
            .Replace("- address: 10.0.0.5", "- address: 10.0.0.5\n        mac: 02:00:00:00:00:05", StringComparison.Ordinal);
        ConfigLoadResult result = ForwarderConfigLoader.Load(fixedFile);
        Assert.True(result.IsValid, string.Join('\n', result.Errors));
        Assert.Equal(3, result.Config.Vips.Count);
    }
}
