using Forwarder.Configuration;
using Forwarder.Testing;

namespace Forwarder.Benchmarks.LoadBalancing;

/// <summary>The configurations the load-balancing stage is benchmarked under.</summary>
internal static class BenchConfigs
{
    /// <summary>One IPv4 VIP, ipip (the default mode) to three backends: the common case.</summary>
    public static readonly string Ipip = ConfigBuilder.WithoutVips()
        .Vip("10.100.0.1", 80, configure: v => v.Backends("10.0.0.1", "10.0.0.2", "10.0.0.3"))
        .ToYaml();

    /// <summary>One VIP per mode and family; the nat backend 10.0.1.1:8080 also sends replies.</summary>
    public static readonly string AllModes = ConfigBuilder.WithoutVips()
        .Gue(sourceV4: "10.0.0.254")
        .Vip("10.100.0.1", 80, configure: v => v.Backends("10.0.0.1", "10.0.0.2", "10.0.0.3"))
        .Vip("fc00::100", 443, "tcp", v => v.Backends("fc00::a", "fc00::b"))
        .Vip("10.100.0.5", 80, configure: v => v.Backends("fc00::d", "fc00::e"))
        .Vip("10.100.0.2", configure: v => v.Mode("gue").Backends("10.0.0.4", "10.0.0.5"))
        .Vip("10.100.0.3", 53, "udp", v => v.Mode("dsr-l2").Backend("10.0.2.1", mac: "02:00:00:00:00:b1").Backend("10.0.2.2", mac: "02:00:00:00:00:b2"))
        .Vip("10.100.0.4", 80, "tcp", v => v.Mode("nat").Backend("10.0.1.1", port: 8080).Backend("10.0.1.2", port: 8080))
        .ToYaml();

    public static ForwarderConfig Load(string yaml)
    {
        ConfigLoadResult result = ForwarderConfigLoader.Load(yaml);
        return result.Config ?? throw new InvalidOperationException("benchmark configuration refused:\n" + string.Join('\n', result.Errors));
    }
}
