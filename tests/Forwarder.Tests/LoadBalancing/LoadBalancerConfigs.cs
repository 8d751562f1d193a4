namespace Forwarder.Tests.LoadBalancing;

/// <summary>The configuration the load-balancer tests run under: one VIP per mode and family, plus VIPs that drop.</summary>
internal static class LoadBalancerConfigs
{
    public const string RouterMac = ConfigBuilder.DefaultRouterMac;
    public static readonly byte[] RouterMacBytes = [0x02, 0, 0, 0, 0, 0x01];
    public static readonly byte[] OwnMac = [0x02, 0, 0, 0, 0, 0x0a];
    public static readonly byte[] DsrBackendMac = [0x02, 0, 0, 0, 0, 0xb1];

    /// <summary>The forwarder host's own addresses (published to every bed): what nat backends send there is no reply.</summary>
    public const string Host4 = "10.99.0.2";
    public const string Host6 = "2001:db8:ff::2";
    public static readonly System.Net.IPAddress[] HostAddresses = [System.Net.IPAddress.Parse(Host4), System.Net.IPAddress.Parse(Host6)];

    public const string IpipV4 = "10.100.0.1";
    public const string GueAnyPort = "10.100.0.2";
    public const string DsrL2 = "10.100.0.3";
    public const string Nat = "10.100.0.4";
    public const string IpipV6 = "fc00::100";
    public const string IpipV4InV6 = "10.100.0.5";
    public const string NoBackends = "10.100.0.6";
    public const string SmallRing = "10.100.0.7";
    public const string Mixed = "10.100.0.8";

    public static readonly string All = AllVips().ToYaml();

    /// <summary>The configuration of <see cref="All"/>, to add more VIPs after its own.</summary>
    public static ConfigBuilder AllVips() => ConfigBuilder.WithoutVips()
        .Mtu(1500)
        .Gue(sourceV4: "10.0.0.254", sourceV6: "fc00::fe")
        .Vip(IpipV4, 80, "tcp", v => v.Backends("10.0.0.1", "10.0.0.2", "10.0.0.3"))
        .Vip(GueAnyPort, configure: v => v.Mode("gue").Backends("10.0.0.4", "fc00::c"))
        .Vip(DsrL2, 53, "udp", v => v.Mode("dsr-l2").Backend("10.0.2.1", mac: "02:00:00:00:00:b1"))
        .Vip(Nat, 80, "tcp", v => v.Mode("nat").Backend("10.0.1.1", port: 8080).Backend("10.0.1.2"))
        .Vip(IpipV6, 443, "tcp", v => v.Backends("fc00::a", "fc00::b"))
        .Vip(IpipV4InV6, 80, configure: v => v.Backends("fc00::d"))
        .Vip(NoBackends, 80, "tcp", v => v.NoBackends())
        .Vip(SmallRing, 80, "udp", v => v.Maglev(ringSize: 13).Backends("10.0.3.1", "10.0.3.2"))
        .Vip(Mixed, protocol: "udp", configure: v => v.Maglev(ringSize: 251, version: "v1").Backend("10.0.4.1", weight: 3).Backend("10.0.4.2"));
}
