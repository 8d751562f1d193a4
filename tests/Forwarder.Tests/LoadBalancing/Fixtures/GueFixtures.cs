using System.Runtime.Versioning;
using static Forwarder.Tests.LoadBalancing.Fixtures.Expect;
using static Forwarder.Tests.LoadBalancing.Fixtures.FixtureConfig;
using static Forwarder.Tests.LoadBalancing.Fixtures.FixtureConfigs;
using static Forwarder.Tests.LoadBalancing.Fixtures.Shapes;

namespace Forwarder.Tests.LoadBalancing.Fixtures;

/// <summary>GUE (IP in UDP to the GUE port): an IPv4 VIP with an IPv4 and an IPv6 backend, an IPv6 VIP; TCP and UDP.</summary>
[SupportedOSPlatform("linux")]
internal static class GueFixtures
{
    public const string V4Backend = "10.0.0.4";
    public const string V6Backend = "fc00::c";

    /// <summary>A client port whose flow from <paramref name="client"/> to the any-port gue VIP's <paramref name="vipPort"/> goes to <paramref name="backend"/>.</summary>
    public static ushort PortTo(string backend, string client = Clients.V4, ushort vipPort = 443) =>
        FlowOwner.ClientPortTo(All, GueAnyPort, client, vipPort, backend);

    public static IEnumerable<PacketFixture> Cases()
    {
        yield return Forwarded("gue v4 tcp to the v4 backend", All, GueAnyPort, Tcp4, Clients.V4, PortTo(V4Backend), 443);
        yield return Forwarded("gue v4 tcp to the v6 backend", All, GueAnyPort, Tcp4, Clients.V4, PortTo(V6Backend), 443);
        yield return Forwarded("gue v4 udp to the v4 backend", All, GueAnyPort, Udp4, Clients.OtherV4, PortTo(V4Backend, Clients.OtherV4, 53), 53);
        yield return Forwarded("gue v4 udp to the v6 backend, link padding cut off", All, GueAnyPort, Udp4.Padded(), Clients.OtherV4,
            PortTo(V6Backend, Clients.OtherV4, 53), 53);
        yield return Forwarded("gue v4 tcp with tos 0x28 and no DF to the v4 backend", All, GueAnyPort, Tcp4 with { TrafficClass = 0x28, DontFragment = false },
            Clients.V4, PortTo(V4Backend, vipPort: 25), 25);
        yield return Forwarded("gue v6 tcp", Extended, GueV6, Tcp6, Clients.V6, 50001);
        yield return Forwarded("gue v6 udp behind hop-by-hop and routing headers, traffic class 0xb8", Extended, GueV6,
            Udp6 with { Ipv6Extensions = 2, TrafficClass = 0xB8 }, Clients.OtherV6, 4500);
    }
}
