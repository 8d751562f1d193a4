namespace Forwarder.Tests.Replay;

/// <summary>The configuration the command-line replay tests run under: an ipip VIP with three backends and a nat VIP.</summary>
internal static class ReplayConfigs
{
    public const string Client = "192.168.1.1";
    public const string IpipVip = "10.100.0.1";
    public const string NatVip = "10.100.0.4";
    public const string NatBackend = "10.0.1.1";
    public static readonly string[] IpipBackends = ["10.0.0.1", "10.0.0.2", "10.0.0.3"];
    public static readonly byte[] RouterMac = [0x02, 0, 0, 0, 0, 0x01];

    public const string IpipAndNat = """
        interface:
          name: eth0
        router_mac: 02:00:00:00:00:01
        vips:
          - address: 10.100.0.1
            port: 80
            protocol: tcp
            backends:
              - address: 10.0.0.3
              - address: 10.0.0.1
              - address: 10.0.0.2
          - address: 10.100.0.4
            port: 80
            protocol: tcp
            mode: nat
            backends:
              - address: 10.0.1.1
                port: 8080
        """;
}
