using System.Runtime.Versioning;
using Forwarder.Packets;
using static Forwarder.Tests.LoadBalancing.Fixtures.Expect;
using static Forwarder.Tests.LoadBalancing.Fixtures.FixtureConfig;

namespace Forwarder.Tests.LoadBalancing.Fixtures;

/// <summary>ICMP and ICMPv6 echo requests: answered for any VIP address, dropped for any other.</summary>
[SupportedOSPlatform("linux")]
internal static class EchoFixtures
{
    public static IEnumerable<PacketFixture> Cases()
    {
        yield return EchoAnswered("echo v4 to the ipip VIP's address is answered", All, Clients.V4, "10.100.0.1");
        yield return EchoAnswered("echo v4 to the udp-only dsr-l2 VIP's address is answered", All, Clients.OtherV4, "10.100.0.3");
        yield return EchoAnswered("echo v4 with link padding: the reply has none", All, Clients.V4, "10.100.0.4", padding: 10);
        yield return EchoAnswered("echo v4 to a VIP without backends is still answered", All, Clients.V4, "10.100.0.6");
        yield return EchoAnswered("echo v4 with tos 0x10 and no DF, echoed as they are", All, Clients.OtherV4, "10.100.0.2",
            b => b.TrafficClass(0x10).Ipv4Fragment(0));
        yield return EchoAnswered("echo v6 to the ipip VIP's address is answered", All, Clients.V6, "fc00::100");
        yield return EchoAnswered("echo v4 of 1500 bytes to the ipip VIP is answered, never too big", All, Clients.V4, "10.100.0.1", data: 1500 - 28);
        yield return EchoAnswered("echo v6 of 1500 bytes to the ipip VIP is answered, never too big", All, Clients.V6, "fc00::100", data: 1500 - 48);
        yield return EchoAnswered("echo v6 behind a hop-by-hop header, to the nat VIP's address", Extended, Clients.OtherV6, "fc00::203",
            b => b.Extension(IpProtocol.HopByHopOptions));
        yield return Dropped("echo v4 to an address that is no VIP's", All, EchoRequest(Clients.V4, "10.100.0.99"), DropReason.EchoNotForVip);
        yield return Dropped("echo v4 to a backend's address", All, EchoRequest(Clients.V4, "10.0.0.1"), DropReason.EchoNotForVip);
        yield return Dropped("echo v6 to an address that is no VIP's", All, EchoRequest(Clients.V6, "fc00::999"), DropReason.EchoNotForVip);
    }
}
