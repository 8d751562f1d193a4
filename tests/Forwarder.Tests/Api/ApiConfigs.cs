namespace Forwarder.Tests.Api;

/// <summary>Configuration files of the API tests.</summary>
internal static class ApiConfigs
{
    /// <summary>One tcp VIP with three backends.</summary>
    public static readonly string Base = ConfigBuilder.Standard().ToYaml();

    /// <summary>A second VIP, appended to <see cref="Base"/>.</summary>
    public static readonly string SecondVip = new VipBuilder("10.100.0.2", 53, "udp").Backends("10.0.1.1").ToYaml();

    /// <summary>A nat VIP listing one backend address with two ports, appended to <see cref="Base"/>.</summary>
    public static readonly string NatVip = new VipBuilder("10.100.0.3", 8443, "tcp").Mode("nat")
        .Backend("10.0.0.21", port: 443).Backend("10.0.0.21", port: 444).ToYaml();

    public const string Vip = "10.100.0.1:80/tcp";

    public const string VipPath = "/vips/10.100.0.1/80/tcp";
}
