using System.Runtime.Versioning;
using Forwarder.Packets;
using static Forwarder.Tests.Packets.ParserFixtures;

namespace Forwarder.Tests.Packets;

/// <summary>Frames the parser must refuse, one per check, each with the one reason it must give.</summary>
[SupportedOSPlatform("linux")]
internal static class MalformedFixtures
{
    public static IEnumerable<ParserFixture> All()
    {
        byte[] udp4 = FrameBuilder.Ipv4(Client4, Vip4).Udp(31337, 80).Build();

        yield return Dropped("empty frame", [], DropReason.FrameTooShort);
        yield return Dropped("13 bytes", udp4[..13], DropReason.FrameTooShort);
        yield return Dropped("ethernet header only", udp4[..14], DropReason.Truncated);
        yield return Dropped("vlan tag cut short",
            FrameBuilder.Ipv4(Client4, Vip4).Vlan(1).Udp(1, 2).Build()[..17], DropReason.Truncated);
        yield return Dropped("arp", FrameBuilder.Ipv4(Client4, Vip4).WithEtherType(0x0806).Udp(1, 2).Build(), DropReason.UnsupportedL3);
        yield return Dropped("two vlan tags (q-in-q)",
            FrameBuilder.Ipv4(Client4, Vip4).Vlan(1, EtherType.ServiceVlan).Vlan(2).Udp(1, 2).Build(), DropReason.UnsupportedL3);
        yield return Dropped("ipv4 ethertype, ipv6 packet",
            FrameBuilder.Ipv6(Client6, Vip6).WithEtherType(EtherType.Ipv4).Udp(1, 2).Build(), DropReason.BadIpHeader);
        yield return Dropped("ipv6 ethertype, ipv4 packet",
            FrameBuilder.Ipv4(Client4, Vip4).WithEtherType(EtherType.Ipv6).Udp(1, 2, payload: 60).Build(), DropReason.BadIpHeader);

        yield return Dropped("v4 header cut at 19 bytes", udp4[..33], DropReason.Truncated);
        yield return Dropped("v4 version 5", FrameBuilder.Ipv4(Client4, Vip4).VersionNibble(5).Udp(1, 2).Build(), DropReason.BadIpHeader);
        yield return Dropped("v4 IHL 4", FrameBuilder.Ipv4(Client4, Vip4).Ihl(4).Udp(1, 2).Build(), DropReason.BadIpHeader);
        yield return Dropped("v4 IHL 0", FrameBuilder.Ipv4(Client4, Vip4).Ihl(0).Udp(1, 2).Build(), DropReason.BadIpHeader);
        yield return Dropped("v4 total length below the header length",
            FrameBuilder.Ipv4(Client4, Vip4).IpLength(19).Udp(1, 2).Build(), DropReason.BadIpHeader);
        yield return Dropped("v4 total length below IHL with options",
            FrameBuilder.Ipv4(Client4, Vip4).Ipv4Options(2).IpLength(24).Udp(1, 2).Build(), DropReason.BadIpHeader);
        yield return Dropped("v4 total length past the frame",
            FrameBuilder.Ipv4(Client4, Vip4).IpLength(47).Udp(1, 2).Build(), DropReason.Truncated);
        yield return Dropped("v4 IHL 15 in a 40-byte packet",
            FrameBuilder.Ipv4(Client4, Vip4).Ihl(15).Udp(1, 2, payload: 12).Build(), DropReason.BadIpHeader);
        yield return Dropped("v4 options run into the transport header",
            FrameBuilder.Ipv4(Client4, Vip4).Ihl(6).Udp(1, 2, payload: 0).Build(), DropReason.Truncated);
        yield return Dropped("v4 total length of the header alone, then padding",
            FrameBuilder.Ipv4(Client4, Vip4).IpLength(20).Transport(IpProtocol.Udp, new byte[26]).Build(), DropReason.Truncated);

        yield return Dropped("v4 gre", FrameBuilder.Ipv4(Client4, Vip4).Transport(47, new byte[24]).Build(), DropReason.UnsupportedL4);
        yield return Dropped("v4 sctp", FrameBuilder.Ipv4(Client4, Vip4).Transport(132, new byte[24]).Build(), DropReason.UnsupportedL4);
        yield return Dropped("v4 ip-in-ip", FrameBuilder.Ipv4(Client4, Vip4).Transport(4, FrameBuilder.Ipv4(Client4, Vip4).Udp(1, 2).BuildIpPacket()).Build(),
            DropReason.UnsupportedL4);

        yield return Dropped("tcp header of 19 bytes",
            FrameBuilder.Ipv4(Client4, Vip4).Transport(IpProtocol.Tcp, new byte[19]).Padding(10).Build(), DropReason.Truncated);
        yield return Dropped("tcp data offset 4", FrameBuilder.Ipv4(Client4, Vip4).Tcp(1, 2, dataOffset: 4).Build(), DropReason.BadL4Header);
        yield return Dropped("tcp data offset 0", FrameBuilder.Ipv4(Client4, Vip4).Tcp(1, 2, dataOffset: 0).Build(), DropReason.BadL4Header);
        yield return Dropped("tcp options past the packet", FrameBuilder.Ipv4(Client4, Vip4).Tcp(1, 2, dataOffset: 6).Padding(4).Build(), DropReason.Truncated);
        yield return Dropped("udp header of 7 bytes", FrameBuilder.Ipv4(Client4, Vip4).Transport(IpProtocol.Udp, new byte[7]).Build(), DropReason.Truncated);
        yield return Dropped("udp length 7", FrameBuilder.Ipv4(Client4, Vip4).Udp(1, 2, length: 7).Build(), DropReason.BadL4Header);
        yield return Dropped("udp length 0", FrameBuilder.Ipv6(Client6, Vip6).Udp(1, 2, length: 0).Build(), DropReason.BadL4Header);
        yield return Dropped("udp length past the ip packet", FrameBuilder.Ipv4(Client4, Vip4).Udp(1, 2, length: 27).Build(), DropReason.BadL4Header);
        yield return Parsed("udp length shorter than the ip payload",
            FrameBuilder.Ipv4(Client4, Vip4).Udp(31337, 80, length: 8).Build(), FlowV4(IpProtocol.Udp, 31337, 80, 34, 46));

        byte[] udp6 = FrameBuilder.Ipv6(Client6, Vip6).Udp(31337, 80).Build();
        yield return Dropped("v6 header cut at 39 bytes", udp6[..53], DropReason.Truncated);
        yield return Dropped("v6 version 4", FrameBuilder.Ipv6(Client6, Vip6).VersionNibble(4).Udp(1, 2).Build(), DropReason.BadIpHeader);
        yield return Dropped("v6 payload length past the frame", FrameBuilder.Ipv6(Client6, Vip6).IpLength(27).Udp(1, 2).Build(), DropReason.Truncated);
        yield return Dropped("v6 payload length 0 (jumbogram or empty)", FrameBuilder.Ipv6(Client6, Vip6).IpLength(0).Udp(1, 2).Build(), DropReason.Truncated);
        yield return Dropped("v6 extension header past the packet",
            FrameBuilder.Ipv6(Client6, Vip6).Extension(IpProtocol.HopByHopOptions, 4).Udp(1, 2).IpLength(30).Build(), DropReason.Truncated);
        yield return Dropped("v6 esp", FrameBuilder.Ipv6(Client6, Vip6).Transport(50, new byte[40]).Build(), DropReason.UnsupportedL4);
        yield return Dropped("v6 no next header", FrameBuilder.Ipv6(Client6, Vip6).Transport(59, []).Build(), DropReason.UnsupportedL4);
        yield return Dropped("v6 authentication header (not walked)",
            FrameBuilder.Ipv6(Client6, Vip6).Transport(51, new byte[40]).Build(), DropReason.UnsupportedL4);
    }
}
