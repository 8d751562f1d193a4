namespace Forwarder.Tests.LoadBalancing;

/// <summary>The configuration the load-balancer tests run under: one VIP per mode and family, plus VIPs that drop.</summary>
internal static class LoadBalancerConfigs
{
    public const string RouterMac = "02:00:00:00:00:01";
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

    public const string All = """
        interface:
          name: eth0
        router_mac: 02:00:00:00:00:01
        mtu: 1500
        gue:
          source_v4: 10.0.0.254
          source_v6: fc00::fe
        vips:
          - address: 10.100.0.1
            port: 80
            protocol: tcp
            backends:
              - address: 10.0.0.1
              - address: 10.0.0.2
              - address: 10.0.0.3
          - address: 10.100.0.2
            mode: gue
            backends:
              - address: 10.0.0.4
              - address: fc00::c
          - address: 10.100.0.3
            port: 53
            protocol: udp
            mode: dsr-l2
            backends:
              - address: 10.0.2.1
                mac: 02:00:00:00:00:b1
          - address: 10.100.0.4
            port: 80
            protocol: tcp
            mode: nat
            backends:
              - address: 10.0.1.1
                port: 8080
              - address: 10.0.1.2
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
          - address: 10.100.0.6
            port: 80
            protocol: tcp
            backends: []
          - address: 10.100.0.7
            port: 80
            protocol: udp
            maglev:
              ring_size: 13
            backends:
              - address: 10.0.3.1
              - address: 10.0.3.2
          - address: 10.100.0.8
            protocol: udp
            maglev:
              version: v1
              ring_size: 251
            backends:
              - address: 10.0.4.1
                weight: 3
              - address: 10.0.4.2
        """;
}
