namespace Forwarder.Tests.Api;

/// <summary>Configuration files of the API tests.</summary>
internal static class ApiConfigs
{
    /// <summary>One tcp VIP with three backends.</summary>
    public const string Base = """
        interface:
          name: eth0
        router_mac: 02:00:00:00:00:01
        vips:
          - address: 10.100.0.1
            port: 80
            protocol: tcp
            backends:
              - address: 10.0.0.1
              - address: 10.0.0.2
              - address: 10.0.0.3

        """;

    /// <summary>A second VIP, appended to <see cref="Base"/>.</summary>
    public const string SecondVip = """
          - address: 10.100.0.2
            port: 53
            protocol: udp
            backends:
              - address: 10.0.1.1

        """;

    /// <summary>A nat VIP listing one backend address with two ports, appended to <see cref="Base"/>.</summary>
    public const string NatVip = """
          - address: 10.100.0.3
            port: 8443
            protocol: tcp
            mode: nat
            backends:
              - address: 10.0.0.21
                port: 443
              - address: 10.0.0.21
                port: 444

        """;

    public const string Vip = "10.100.0.1:80/tcp";

    public const string VipPath = "/vips/10.100.0.1/80/tcp";
}
