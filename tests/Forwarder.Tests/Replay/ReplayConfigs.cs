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

    public static readonly string IpipAndNat = ConfigBuilder.WithoutVips()
        .Vip(IpipVip, 80, "tcp", v => v.Backends("10.0.0.3", "10.0.0.1", "10.0.0.2"))
        .Vip(NatVip, 80, "tcp", v => v.Mode("nat").Backend(NatBackend, port: 8080))
        .ToYaml();
}
