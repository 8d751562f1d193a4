using System.Runtime.Versioning;
using Forwarder.Packets;
using static Forwarder.Tests.LoadBalancing.Fixtures.Expect;
using static Forwarder.Tests.LoadBalancing.Fixtures.FixtureConfig;
using static Forwarder.Tests.LoadBalancing.Fixtures.FixtureConfigs;
using static Forwarder.Tests.LoadBalancing.Fixtures.Shapes;

namespace Forwarder.Tests.LoadBalancing.Fixtures;

/// <summary>802.1Q and 802.1ad tagged frames in every mode and answer: the tag goes out as it came in.</summary>
[SupportedOSPlatform("linux")]
internal static class VlanFixtures
{
    public static IEnumerable<PacketFixture> Cases()
    {
        yield return Forwarded("vlan 802.1Q ipip v4-in-v4 tcp: the tag goes out before the outer header", All, IpipV4, Tcp4.Tagged(100), Clients.V4, 31337);
        yield return Forwarded("vlan 802.1ad ipip v6-in-v6 udp", Extended, IpipV6Udp, Udp6.Tagged(0x0FFF, EtherType.ServiceVlan), Clients.V6, 33000);
        yield return Forwarded("vlan 802.1Q with priority bits, ipip v4-in-v6 tcp: ethernet type ipv6 after the tag", All, IpipV4InV6,
            Tcp4.Tagged(0xA064), Clients.V4, 31337);
        yield return Forwarded("vlan 802.1Q gue v4 udp to the v6 backend, link padding cut off", All, GueAnyPort, Udp4.Tagged(7).Padded(), Clients.OtherV4,
            GueFixtures.PortTo(GueFixtures.V6Backend, Clients.OtherV4, 53), 53);
        yield return Forwarded("vlan 802.1Q gue v6 tcp", Extended, GueV6, Tcp6.Tagged(7), Clients.V6, 50001);
        yield return Forwarded("vlan 802.1Q dsr-l2 v4 udp with link padding: tag and padding kept", All, DsrL2, Udp4.Tagged(200).Padded(), Clients.V4, 31337);
        yield return Forwarded("vlan 802.1ad dsr-l2 v6 tcp", Extended, DsrL2V6, Tcp6.Tagged(300, EtherType.ServiceVlan), Clients.V6, 40000);
        yield return Forwarded("vlan 802.1Q nat v4 tcp", All, Nat, Tcp4.Tagged(42), Clients.V4, NatFixtures.PortTo(All, Nat, Clients.V4, "10.0.1.1"));
        yield return Forwarded("vlan 802.1Q nat v6 udp with link padding, cut off", Extended, NatV6, Udp6.Tagged(42) with { Padding = 6 }, Clients.OtherV6, 777);
        yield return NatReply("vlan 802.1Q nat reply v4 tcp", All, Nat, "10.0.1.1", Tcp4.Tagged(42), Clients.V4, 31337);
        yield return NatReply("vlan 802.1ad nat reply v6 tcp", Extended, NatV6, "fc00::3:1", Tcp6.Tagged(43, EtherType.ServiceVlan), Clients.V6, 50000);
        yield return EchoAnswered("vlan 802.1Q echo to a v4 VIP: the reply keeps the tag", All, Clients.V4, "10.100.0.1", b => b.Vlan(100));
        yield return EchoAnswered("vlan 802.1ad echo to a v6 VIP: the reply keeps the tag", All, Clients.V6, "fc00::100",
            b => b.Vlan(101, EtherType.ServiceVlan));
        yield return TooBigAnswered("vlan 802.1Q ipip v4 tcp too big: the answer keeps the tag", All, IpipV4, Tcp4.Tagged(100).Sized(1481), Clients.V4, 31337);
        yield return TooBigAnswered("vlan 802.1Q ipip v6 tcp too big: the answer keeps the tag", All, IpipV6, Tcp6.Tagged(100).Sized(1461), Clients.V6, 50000);
        yield return ErrorForwarded("vlan 802.1Q icmp fragmentation needed about an ipip v4 tcp flow", All, IpipV4,
            new IcmpErrorShape(Tcp4, 28, 3, 4, Rest: 1400) { Tci = 100 }, Clients.V4, 31337);
        yield return ErrorForwarded("vlan 802.1Q icmp port unreachable about a nat udp flow", Extended, NatAnyProtocol,
            new IcmpErrorShape(Udp4, int.MaxValue, 3, 3) { Tci = 100 }, Clients.V4, NatFixtures.PortTo(Extended, NatAnyProtocol, Clients.V4, "10.0.5.1"));
    }
}
