using System.Runtime.Versioning;
using Forwarder.Packets;
using static Forwarder.Tests.LoadBalancing.Fixtures.Expect;
using static Forwarder.Tests.LoadBalancing.Fixtures.FixtureConfig;
using static Forwarder.Tests.LoadBalancing.Fixtures.FixtureConfigs;
using static Forwarder.Tests.LoadBalancing.Fixtures.Shapes;

namespace Forwarder.Tests.LoadBalancing.Fixtures;

/// <summary>
/// Path MTU, with an interface MTU of 1500: a packet that would exceed it once encapsulated is answered with
/// ICMP fragmentation needed (IPv4 with DF) or ICMPv6 packet too big, giving the room left for the flow's
/// backend; IPv4 without DF and ICMP errors are dropped instead; a packet that fits exactly is forwarded.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class PmtuFixtures
{
    public static IEnumerable<PacketFixture> Cases()
    {
        yield return TooBigAnswered("pmtu: ipip v4 tcp of 1481 bytes with DF is answered with fragmentation needed, mtu 1480", All, IpipV4,
            Tcp4.Sized(1481), Clients.V4, 31337);
        yield return Forwarded("pmtu: ipip v4 tcp of exactly 1480 bytes is forwarded", All, IpipV4, Tcp4.Sized(1480), Clients.V4, 31337);
        yield return TooBigDropped("pmtu: ipip v4 tcp of 1481 bytes without DF is dropped as packet too big", All, IpipV4,
            Tcp4.Sized(1481) with { DontFragment = false }, Clients.V4, 31337);
        yield return TooBigAnswered("pmtu: ipip v4 udp of 1500 bytes with DF, the answer quotes 548 of them", Extended, IpipV4Udp,
            Udp4.Sized(1500), Clients.OtherV4, 5300);
        yield return TooBigAnswered("pmtu: ipip v6 tcp of 1461 bytes is answered with packet too big, mtu 1460", All, IpipV6,
            Tcp6.Sized(1461), Clients.V6, 50000);
        yield return Forwarded("pmtu: ipip v6 tcp of exactly 1460 bytes is forwarded", All, IpipV6, Tcp6.Sized(1460), Clients.V6, 50000);
        yield return TooBigAnswered("pmtu: ipip v6 udp of 1500 bytes, the answer quotes 1232 of them", Extended, IpipV6Udp,
            Udp6.Sized(1500), Clients.OtherV6, 33000);
        yield return TooBigAnswered("pmtu: ipip v4-in-v6 udp of 1461 bytes with DF, mtu 1460", All, IpipV4InV6, Udp4.Sized(1461), Clients.V4, 31337);
        yield return Forwarded("pmtu: ipip v4-in-v6 udp of exactly 1460 bytes is forwarded", All, IpipV4InV6, Udp4.Sized(1460), Clients.V4, 31337);
        yield return TooBigDropped("pmtu: ipip v4-in-v6 tcp of 1461 bytes without DF is dropped as packet too big", All, IpipV4InV6,
            Tcp4.Sized(1461) with { DontFragment = false }, Clients.OtherV4, 8000);

        ushort toV4 = GueFixtures.PortTo(GueFixtures.V4Backend), toV6 = GueFixtures.PortTo(GueFixtures.V6Backend);
        yield return TooBigAnswered("pmtu: gue v4 tcp of 1473 bytes for the v4 backend, mtu 1472", All, GueAnyPort, Tcp4.Sized(1473), Clients.V4, toV4, 443);
        yield return Forwarded("pmtu: gue v4 tcp of exactly 1472 bytes for the v4 backend is forwarded", All, GueAnyPort, Tcp4.Sized(1472), Clients.V4, toV4, 443);
        yield return TooBigAnswered("pmtu: gue v4 tcp of 1453 bytes for the v6 backend, mtu 1452", All, GueAnyPort, Tcp4.Sized(1453), Clients.V4, toV6, 443);
        yield return Forwarded("pmtu: gue v4 tcp of exactly 1452 bytes for the v6 backend is forwarded", All, GueAnyPort, Tcp4.Sized(1452), Clients.V4, toV6, 443);
        yield return TooBigAnswered("pmtu: gue v6 udp of 1453 bytes, mtu 1452", Extended, GueV6, Udp6.Sized(1453), Clients.OtherV6, 4500);
        yield return Forwarded("pmtu: gue v6 udp of exactly 1452 bytes is forwarded", Extended, GueV6, Udp6.Sized(1452), Clients.OtherV6, 4500);

        yield return Forwarded("pmtu: nat v4 tcp of 1500 bytes is forwarded, nat adds no header", All, Nat, Tcp4.Sized(1500), Clients.V4, 31337);
        yield return Forwarded("pmtu: dsr-l2 v6 udp of 1500 bytes is forwarded, dsr-l2 adds no header", Extended, DsrL2V6, Udp6.Sized(1500), Clients.V6, 40000);

        yield return Dropped("pmtu: an icmp error too big to encapsulate is dropped, never answered", All,
            Arriving(new IcmpErrorShape(Tcp4.Sized(1460), int.MaxValue, 3, 4, Rest: 1400)
                .Build(Router4, "10.100.0.1", "10.100.0.1", 80, Clients.V4, 31337, padded: false)),
            DropReason.PacketTooBig);
        yield return Dropped("pmtu: an icmpv6 error too big to encapsulate is dropped, never answered", All,
            Arriving(new IcmpErrorShape(Tcp6.Sized(1420), int.MaxValue, 1, 4)
                .Build(Router6, "fc00::100", "fc00::100", 443, Clients.V6, 50000, padded: false)),
            DropReason.PacketTooBig);
    }
}
