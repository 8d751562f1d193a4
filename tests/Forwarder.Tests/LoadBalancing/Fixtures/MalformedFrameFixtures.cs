using System.Runtime.Versioning;
using Forwarder.Packets;
using Forwarder.Tests.Packets;
using static Forwarder.Tests.LoadBalancing.Fixtures.Expect;
using static Forwarder.Tests.LoadBalancing.Fixtures.FixtureConfig;
using static Forwarder.Tests.LoadBalancing.Fixtures.Shapes;

namespace Forwarder.Tests.LoadBalancing.Fixtures;

/// <summary>Whole frames the stage does not balance, each dropped under its own reason.</summary>
[SupportedOSPlatform("linux")]
internal static class MalformedFrameFixtures
{
    private const string Vip4 = "10.100.0.1";

    public static IEnumerable<PacketFixture> Cases()
    {
        yield return Dropped("not ip: an arp frame", All,
            Arriving(FrameBuilder.Ipv4(Clients.V4, Vip4).WithEtherType(0x0806).Transport(0, new byte[28]).Build()), DropReason.UnsupportedL3);
        yield return Dropped("not ip: two vlan tags (q-in-q) are not walked", All,
            Arriving(FrameBuilder.Ipv4(Clients.V4, Vip4).Vlan(1, EtherType.ServiceVlan).Vlan(2).Tcp(31337, 80).Build()), DropReason.UnsupportedL3);
        yield return Dropped("bad ip header: ipv4 header length of 16 bytes", All,
            Arriving(FrameBuilder.Ipv4(Clients.V4, Vip4).Ihl(4).Tcp(31337, 80).Build()), DropReason.BadIpHeader);
        yield return Dropped("bad ip header: ipv4 total length shorter than its header", All,
            Arriving(FrameBuilder.Ipv4(Clients.V4, Vip4).IpLength(10).Tcp(31337, 80).Build()), DropReason.BadIpHeader);
        yield return Dropped("bad ip header: version 6 behind the ipv4 ethernet type", All,
            Arriving(FrameBuilder.Ipv4(Clients.V4, Vip4).VersionNibble(6).Tcp(31337, 80).Build()), DropReason.BadIpHeader);
        yield return Dropped("unsupported l4: gre (47) to a VIP", All,
            Arriving(FrameBuilder.Ipv4(Clients.V4, Vip4).Transport(47, new byte[24]).Build()), DropReason.UnsupportedL4);
        yield return Dropped("unsupported l4: icmpv6 over ipv4", All,
            Arriving(FrameBuilder.Ipv4(Clients.V4, Vip4).Transport(58, new byte[24]).Build()), DropReason.UnsupportedL4);
        yield return Dropped("bad l4 header: tcp data offset of 4 words", All,
            Arriving(FrameBuilder.Ipv4(Clients.V4, Vip4).Tcp(31337, 80, dataOffset: 4).Build()), DropReason.BadL4Header);
        yield return Dropped("bad l4 header: udp length 7", All,
            Arriving(FrameBuilder.Ipv6(Clients.V6, "fc00::204").Udp(33000, 53, length: 7).Build()), DropReason.BadL4Header);
        yield return Dropped("icmp unsupported: time exceeded (11) about a VIP's packet", All,
            Arriving(new IcmpErrorShape(Tcp4, 28, 11, 0).Build(Router4, Vip4, Vip4, 80, Clients.V4, 31337, padded: false)), DropReason.IcmpUnsupported);
        yield return Dropped("icmp unsupported: an echo reply to a VIP", All,
            Arriving(FrameBuilder.Ipv4(Clients.V4, Vip4).Icmp(0, 0, new byte[16]).Build()), DropReason.IcmpUnsupported);
        yield return Dropped("icmp unsupported: destination unreachable quoting an icmp packet (no ports)", All,
            Arriving(FrameBuilder.Ipv4(Router4, Vip4).Icmp(3, 3, FrameBuilder.Ipv4(Vip4, Clients.V4).Icmp(0, 0, new byte[8]).BuildIpPacket()).Build()),
            DropReason.IcmpUnsupported);
        yield return Dropped("icmp unsupported: destination unreachable quoting a later fragment (offset 185, no ports)", All,
            Arriving(FrameBuilder.Ipv4(Router4, Vip4).Icmp(3, 4, FrameBuilder.Ipv4(Vip4, Clients.V4).Ipv4Fragment(185).Transport(6, new byte[20]).BuildIpPacket(), 1400)
                .Build()), DropReason.IcmpUnsupported);
        yield return Dropped("bad ip header: an icmpv6 packet too big quoting an ipv4 packet", All,
            Arriving(FrameBuilder.Ipv6(Router6, "fc00::100").Icmpv6(2, 0, Tcp4.BuildIpPacket(Vip4, Clients.V4, 80, 31337), 1280)
                .Build()), DropReason.BadIpHeader);
        yield return Dropped("fragment: an icmp error that is itself a fragment", All,
            Arriving(FrameBuilder.Ipv4(Router4, Vip4).Ipv4Fragment(0x2000).Icmp(3, 4, Tcp4.BuildIpPacket(Vip4, Clients.V4, 80, 31337), 1400).Build()),
            DropReason.IpFragment);
    }
}
