using System.Net;
using System.Runtime.Versioning;
using Forwarder.Configuration;
using Forwarder.Tests.Configuration;

namespace Forwarder.Tests.LoadBalancing.Fixtures;

/// <summary>
/// The configurations fixtures run under, and the index of each VIP in them. <see cref="ExtendedYaml"/> is
/// <see cref="LoadBalancerConfigs.All"/> with VIPs appended, so every VIP keeps its index (and every
/// backend its counter slot) and a fixture written for <c>All</c> decides the same under <c>Extended</c>:
/// that is how all fixtures can run together in one sequence of batches.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class FixtureConfigs
{
    // LoadBalancerConfigs.All
    public const int IpipV4 = 0;          // 10.100.0.1:80 tcp, ipip, 10.0.0.1-3
    public const int GueAnyPort = 1;      // 10.100.0.2 any port and protocol, gue, 10.0.0.4 and fc00::c
    public const int DsrL2 = 2;           // 10.100.0.3:53 udp, dsr-l2, 10.0.2.1
    public const int Nat = 3;             // 10.100.0.4:80 tcp, nat, 10.0.1.1 port 8080 and 10.0.1.2
    public const int IpipV6 = 4;          // fc00::100:443 tcp, ipip, fc00::a and fc00::b
    public const int IpipV4InV6 = 5;      // 10.100.0.5:80 tcp and udp, ipip, fc00::d
    public const int NoBackends = 6;      // 10.100.0.6:80 tcp, no backends
    public const int SmallRing = 7;       // 10.100.0.7:80 udp, ring of 13
    public const int Mixed = 8;           // 10.100.0.8 any port, udp, maglev v1, ring of 251, weights 3 and 1

    // Extended only
    public const int IpipV4Udp = 9;       // 10.100.1.1:53 udp, ipip
    public const int NoSourcePort = 10;   // 10.100.1.2:443 tcp, ipip, flags [no_source_port]
    public const int DsrL2Tcp = 11;       // 10.100.1.3:80 tcp, dsr-l2
    public const int NatAnyProtocol = 12; // 10.100.1.4:53 tcp and udp, nat, 10.0.5.1 port 5353 and 10.0.5.2
    public const int IpipV6Udp = 13;      // fc00::204:53 udp, ipip
    public const int GueV6 = 14;          // fc00::201:8080 tcp and udp, gue, fc00::e and fc00::f
    public const int DsrL2V6 = 15;        // fc00::202:53 tcp and udp, dsr-l2
    public const int NatV6 = 16;          // fc00::203:443 tcp and udp, nat, fc00::3:1 port 8443 and fc00::3:2
    public const int NoBackendsV6 = 17;   // fc00::205:80 tcp, its one backend has weight 0
    public const int NatAnyPort = 18;     // 10.100.1.5 any port, tcp and udp, nat, 10.0.8.1 and 10.0.8.2
    public const int SharedAnyPort = 19;  // 10.100.1.1 any port, tcp and udp, ipip to fc00::6:1: shares its address with IpipV4Udp
    public const int GueToV4 = 20;        // 10.100.1.6:80 tcp, gue to 10.0.9.1 only
    public const int GueToV6 = 21;        // 10.100.1.7:80 tcp, gue to fc00::9:1 only
    public const int GueNoSourcePort = 22; // 10.100.1.8:80 tcp, gue, flags [no_source_port], 10.0.9.2 and fc00::9:2
    public const int LargeRing = 23;      // 10.100.1.9:80 tcp, ipip, ring of 655373, 10.0.9.3-5
    public const int PrimeRingV6 = 24;    // fc00::206:80 tcp, ipip, ring of 1009, fc00::9:3-5
    public const int DportOnly = 25;      // 10.100.1.10 any port, tcp, nat, flags [dport_only], 10.0.9.6-8
    public const int SrcDstPort = 26;     // 10.100.1.11 any port, udp, ipip, flags [src_dst_port], 10.0.9.9-11
    public const int DportOnlyV6 = 27;    // fc00::207:53 udp, dsr-l2, flags [dport_only], ring of 1009, fc00::9:6-8
    public const int AllowedSourcesV4 = 28; // 10.100.1.12:80 tcp, ipip, allowed_sources [192.168.1.0/24, 203.0.113.7/32], 10.0.9.12-13
    public const int AllowedSourcesV6 = 29; // fc00::208:80 tcp, nat, allowed_sources [2001:db8::/64], fc00::9:9 port 8080
    public const int DportOnlyIpip = 30;  // 10.100.1.13 any port, udp, ipip, flags [dport_only], 10.0.9.14-15 and fc00::9:c
    public const int DportOnlyGueV6 = 31; // fc00::209:443 tcp, gue, flags [dport_only], fc00::9:a, :b and :d

    public static readonly string ExtendedYaml = LoadBalancerConfigs.AllVips()
        .Vip("10.100.1.1", 53, "udp", v => v.Backends("10.0.6.1", "10.0.6.2"))
        .Vip("10.100.1.2", 443, "tcp", v => v.Flags("no_source_port").Backends("10.0.7.1", "10.0.7.2", "10.0.7.3"))
        .Vip("10.100.1.3", 80, "tcp", v => v.Mode("dsr-l2").Backend("10.0.2.2", mac: "02:00:00:00:00:b2").Backend("10.0.2.3", mac: "02:00:00:00:00:b3"))
        .Vip("10.100.1.4", 53, configure: v => v.Mode("nat").Backend("10.0.5.1", port: 5353).Backend("10.0.5.2"))
        .Vip("fc00::204", 53, "udp", v => v.Backends("fc00::4:1", "fc00::4:2"))
        .Vip("fc00::201", 8080, configure: v => v.Mode("gue").Backends("fc00::e", "fc00::f"))
        .Vip("fc00::202", 53, configure: v => v.Mode("dsr-l2").Backend("fc00::2:1", mac: "02:00:00:00:00:b4"))
        .Vip("fc00::203", 443, configure: v => v.Mode("nat").Backend("fc00::3:1", port: 8443).Backend("fc00::3:2"))
        .Vip("fc00::205", 80, "tcp", v => v.Backend("fc00::5:1", weight: 0))
        .Vip("10.100.1.5", configure: v => v.Mode("nat").Backends("10.0.8.1", "10.0.8.2"))
        .Vip("10.100.1.1", configure: v => v.Backends("fc00::6:1"))
        .Vip("10.100.1.6", 80, "tcp", v => v.Mode("gue").Backends("10.0.9.1"))
        .Vip("10.100.1.7", 80, "tcp", v => v.Mode("gue").Backends("fc00::9:1"))
        .Vip("10.100.1.8", 80, "tcp", v => v.Mode("gue").Flags("no_source_port").Backends("10.0.9.2", "fc00::9:2"))
        .Vip("10.100.1.9", 80, "tcp", v => v.Maglev(ringSize: 655373).Backends("10.0.9.3", "10.0.9.4", "10.0.9.5"))
        .Vip("fc00::206", 80, "tcp", v => v.Maglev(ringSize: 1009).Backends("fc00::9:3", "fc00::9:4", "fc00::9:5"))
        .Vip("10.100.1.10", protocol: "tcp", configure: v => v.Mode("nat").Flags("dport_only").Backends("10.0.9.6", "10.0.9.7", "10.0.9.8"))
        .Vip("10.100.1.11", protocol: "udp", configure: v => v.Flags("src_dst_port").Backends("10.0.9.9", "10.0.9.10", "10.0.9.11"))
        .Vip("fc00::207", 53, "udp", v => v.Mode("dsr-l2").Flags("dport_only").Maglev(ringSize: 1009)
            .Backend("fc00::9:6", mac: "02:00:00:00:00:b6").Backend("fc00::9:7", mac: "02:00:00:00:00:b7").Backend("fc00::9:8", mac: "02:00:00:00:00:b8"))
        .Vip("10.100.1.12", 80, "tcp", v => v.AllowedSources("192.168.1.0/24", "203.0.113.7/32").Backends("10.0.9.12", "10.0.9.13"))
        .Vip("fc00::208", 80, "tcp", v => v.Mode("nat").AllowedSources("2001:db8::/64").Backend("fc00::9:9", port: 8080))
        .Vip("10.100.1.13", protocol: "udp", configure: v => v.Flags("dport_only").Backends("10.0.9.14", "10.0.9.15", "fc00::9:c"))
        .Vip("fc00::209", 443, "tcp", v => v.Mode("gue").Flags("dport_only").Backends("fc00::9:a", "fc00::9:b", "fc00::9:d"))
        .ToYaml();

    private static readonly Lazy<ForwarderConfig> AllConfig = new(() => TestConfigs.LoadValid(LoadBalancerConfigs.All));
    private static readonly Lazy<ForwarderConfig> ExtendedConfig = new(LoadExtended);

    public static string Yaml(FixtureConfig config) => config == FixtureConfig.All ? LoadBalancerConfigs.All : ExtendedYaml;

    public static ForwarderConfig Load(FixtureConfig config) => config == FixtureConfig.All ? AllConfig.Value : ExtendedConfig.Value;

    public static VipConfig Vip(FixtureConfig config, int index) => Load(config).Vips[index];

    private static ForwarderConfig LoadExtended()
    {
        ForwarderConfig extended = TestConfigs.LoadValid(ExtendedYaml);
        IReadOnlyList<VipConfig> all = AllConfig.Value.Vips;
        if (!extended.Vips.Take(all.Count).SequenceEqual(all))
            throw new InvalidOperationException("the extended configuration must start with the VIPs of LoadBalancerConfigs.All, in order");
        (int Index, string Address)[] appended =
        [
            (IpipV4Udp, "10.100.1.1"), (NoSourcePort, "10.100.1.2"), (DsrL2Tcp, "10.100.1.3"), (NatAnyProtocol, "10.100.1.4"),
            (IpipV6Udp, "fc00::204"), (GueV6, "fc00::201"), (DsrL2V6, "fc00::202"), (NatV6, "fc00::203"), (NoBackendsV6, "fc00::205"),
            (NatAnyPort, "10.100.1.5"), (SharedAnyPort, "10.100.1.1"), (GueToV4, "10.100.1.6"), (GueToV6, "10.100.1.7"),
            (GueNoSourcePort, "10.100.1.8"), (LargeRing, "10.100.1.9"), (PrimeRingV6, "fc00::206"), (DportOnly, "10.100.1.10"),
            (SrcDstPort, "10.100.1.11"), (DportOnlyV6, "fc00::207"), (AllowedSourcesV4, "10.100.1.12"), (AllowedSourcesV6, "fc00::208"),
            (DportOnlyIpip, "10.100.1.13"), (DportOnlyGueV6, "fc00::209"),
        ];
        foreach (var (index, address) in appended)
        {
            if (!extended.Vips[index].Address.Equals(IPAddress.Parse(address)))
                throw new InvalidOperationException($"VIP {index} of the extended configuration is {extended.Vips[index].Address}, not {address}");
        }
        return extended;
    }
}
