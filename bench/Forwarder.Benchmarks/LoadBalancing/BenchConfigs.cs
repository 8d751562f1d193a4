using Forwarder.Configuration;

namespace Forwarder.Benchmarks.LoadBalancing;

/// <summary>The configurations the load-balancing stage is benchmarked under.</summary>
internal static class BenchConfigs
{
    /// <summary>One IPv4 VIP, ipip (the default mode) to three backends: the common case.</summary>
    public const string Ipip = """
        interface:
          name: eth0
        router_mac: 02:00:00:00:00:01
        vips:
          - address: 10.100.0.1
            port: 80
            backends:
              - address: 10.0.0.1
              - address: 10.0.0.2
              - address: 10.0.0.3
        """;

    /// <summary>One VIP per mode and family; the nat backend 10.0.1.1:8080 also sends replies.</summary>
    public const string AllModes = """
        interface:
          name: eth0
        router_mac: 02:00:00:00:00:01
        gue:
          source_v4: 10.0.0.254
        vips:
          - address: 10.100.0.1
            port: 80
            backends:
              - address: 10.0.0.1
              - address: 10.0.0.2
              - address: 10.0.0.3
          - address: fc00::100
            port: 443
            protocol: tcp
            backends:
              - address: fc00::a
              - address: fc00::b
          - address: 10.100.0.5
            port: 80
            backends:
              - address: fc00::d
              - address: fc00::e
          - address: 10.100.0.2
            mode: gue
            backends:
              - address: 10.0.0.4
              - address: 10.0.0.5
          - address: 10.100.0.3
            port: 53
            protocol: udp
            mode: dsr-l2
            backends:
              - address: 10.0.2.1
                mac: 02:00:00:00:00:b1
              - address: 10.0.2.2
                mac: 02:00:00:00:00:b2
          - address: 10.100.0.4
            port: 80
            protocol: tcp
            mode: nat
            backends:
              - address: 10.0.1.1
                port: 8080
              - address: 10.0.1.2
                port: 8080
        """;

    public static ForwarderConfig Load(string yaml)
    {
        ConfigLoadResult result = ForwarderConfigLoader.Load(yaml);
        return result.Config ?? throw new InvalidOperationException("benchmark configuration refused:\n" + string.Join('\n', result.Errors));
    }
}
