using System.Runtime.Versioning;
using Forwarder.Packets;
using static Forwarder.Tests.Packets.ParserFixtures;

namespace Forwarder.Tests.Packets;

/// <summary>TCP and UDP flows over IPv4 and IPv6, with VLAN tags, IPv4 options and IPv6 extension headers; and fragments.</summary>
[SupportedOSPlatform("linux")]
internal static class FlowFixtures
{
    public static IEnumerable<ParserFixture> All()
    {
        yield return Parsed("v4 udp, 60-byte minimum frame",
            FrameBuilder.Ipv4(Client4, Vip4).Udp(31337, 80).Build(),
            FlowV4(IpProtocol.Udp, 31337, 80, 34, 46));

        yield return Parsed("v4 tcp syn with options",
            FrameBuilder.Ipv4(Client4, Vip4).Tcp(31337, 443, TcpFlags.Syn, optionWords: 3).Build(),
            FlowV4(IpProtocol.Tcp, 31337, 443, 34, 52) with { TcpFlags = TcpFlags.Syn });

        yield return Parsed("v4 tcp ack with payload, tos and ttl",
            FrameBuilder.Ipv4(Client4, Vip4).TrafficClass(0xB8).HopLimit(3).Tcp(1, 65535, TcpFlags.Ack | TcpFlags.Psh, payload: 100).Build(),
            FlowV4(IpProtocol.Tcp, 1, 65535, 34, 140) with { TcpFlags = TcpFlags.Ack | TcpFlags.Psh, TrafficClass = 0xB8, HopLimit = 3 });

        yield return Parsed("v4 udp behind an 802.1Q tag",
            FrameBuilder.Ipv4(Client4, Vip4).Vlan(0x2064).Udp(5000, 53).Build(),
            FlowV4(IpProtocol.Udp, 5000, 53, 38, 46) with { HasVlan = true, VlanTci = 0x2064, L3Offset = 18 });

        yield return Parsed("v4 tcp behind an 802.1ad tag",
            FrameBuilder.Ipv4(Client4, Vip4).Vlan(0x0FFF, EtherType.ServiceVlan).Tcp(40000, 80, TcpFlags.Fin | TcpFlags.Ack).Build(),
            FlowV4(IpProtocol.Tcp, 40000, 80, 38, 40) with { HasVlan = true, VlanTci = 0x0FFF, L3Offset = 18, TcpFlags = TcpFlags.Fin | TcpFlags.Ack });

        yield return Parsed("v4 udp with 4 bytes of options",
            FrameBuilder.Ipv4(Client4, Vip4).Ipv4Options(1).Udp(31337, 80).Build(),
            FlowV4(IpProtocol.Udp, 31337, 80, 38, 50));

        yield return Parsed("v4 tcp with 40 bytes of options (IHL 15)",
            FrameBuilder.Ipv4(Client4, Vip4).Ipv4Options(10).Tcp(31337, 80).Build(),
            FlowV4(IpProtocol.Tcp, 31337, 80, 74, 80) with { TcpFlags = TcpFlags.Ack });

        yield return Parsed("v4 udp without DF",
            FrameBuilder.Ipv4(Client4, Vip4).Ipv4Fragment(0).Udp(31337, 80).Build(),
            FlowV4(IpProtocol.Udp, 31337, 80, 34, 46) with { DontFragment = false });

        yield return Parsed("v4 udp with ethernet padding after the ip packet",
            FrameBuilder.Ipv4(Client4, Vip4).Udp(31337, 80, payload: 0).Padding(18).Build(),
            FlowV4(IpProtocol.Udp, 31337, 80, 34, 28));

        yield return Parsed("v4 udp to port 0 from port 0",
            FrameBuilder.Ipv4(Client4, Vip4).Udp(0, 0).Build(),
            FlowV4(IpProtocol.Udp, 0, 0, 34, 46));

        yield return Dropped("v4 first fragment (MF)",
            FrameBuilder.Ipv4(Client4, Vip4).Ipv4Fragment(0x2000).Udp(31337, 80).Build(), DropReason.IpFragment);

        yield return Dropped("v4 last fragment (offset only)",
            FrameBuilder.Ipv4(Client4, Vip4).Ipv4Fragment(185).Udp(31337, 80).Build(), DropReason.IpFragment);

        yield return Dropped("v4 middle fragment (MF, offset, DF)",
            FrameBuilder.Ipv4(Client4, Vip4).Ipv4Fragment(0x6001).Transport(IpProtocol.Tcp, new byte[8]).Build(), DropReason.IpFragment);

        yield return Parsed("v6 udp",
            FrameBuilder.Ipv6(Client6, Vip6).Udp(31337, 80).Build(),
            FlowV6(IpProtocol.Udp, 31337, 80, 54, 66));

        yield return Parsed("v6 tcp syn, traffic class, hop limit, 802.1Q",
            FrameBuilder.Ipv6(Client6, Vip6).Vlan(7).TrafficClass(0x2E).HopLimit(255).Tcp(50000, 443, TcpFlags.Syn | TcpFlags.Ece | TcpFlags.Cwr, optionWords: 5).Build(),
            FlowV6(IpProtocol.Tcp, 50000, 443, 58, 80) with
            {
                HasVlan = true, VlanTci = 7, L3Offset = 18, TrafficClass = 0x2E, HopLimit = 255, TcpFlags = TcpFlags.Syn | TcpFlags.Ece | TcpFlags.Cwr,
            });

        yield return Parsed("v6 tcp behind hop-by-hop, routing and destination options",
            FrameBuilder.Ipv6(Client6, Vip6).Extension(IpProtocol.HopByHopOptions).Extension(IpProtocol.Routing, 2)
                .Extension(IpProtocol.DestinationOptions, 1).Tcp(31337, 80).Build(),
            FlowV6(IpProtocol.Tcp, 31337, 80, 54 + 8 + 24 + 16, 40 + 48 + 20) with { TcpFlags = TcpFlags.Ack });

        yield return Parsed("v6 udp behind an atomic fragment header",
            FrameBuilder.Ipv6(Client6, Vip6).FragmentHeader(0, more: false).Udp(31337, 80).Build(),
            FlowV6(IpProtocol.Udp, 31337, 80, 62, 74));

        yield return Parsed("v6 udp behind eight extension headers (the most walked)",
            Repeat(FrameBuilder.Ipv6(Client6, Vip6), IpProtocol.DestinationOptions, 8).Udp(31337, 80).Build(),
            FlowV6(IpProtocol.Udp, 31337, 80, 54 + 64, 40 + 64 + 26));

        yield return Dropped("v6 udp behind nine extension headers",
            Repeat(FrameBuilder.Ipv6(Client6, Vip6), IpProtocol.DestinationOptions, 9).Udp(31337, 80).Build(), DropReason.UnsupportedL4);

        yield return Dropped("v6 first fragment",
            FrameBuilder.Ipv6(Client6, Vip6).FragmentHeader(0, more: true).Udp(31337, 80).Build(), DropReason.IpFragment);

        yield return Dropped("v6 last fragment behind hop-by-hop",
            FrameBuilder.Ipv6(Client6, Vip6).Extension(IpProtocol.HopByHopOptions).FragmentHeader(100, more: false).Udp(31337, 80).Build(),
            DropReason.IpFragment);

        yield return Parsed("v6 udp with ethernet padding",
            FrameBuilder.Ipv6(Client6, Vip6).Udp(1, 2, payload: 0).Padding(10).Build(),
            FlowV6(IpProtocol.Udp, 1, 2, 54, 48));
    }

    private static FrameBuilder Repeat(FrameBuilder builder, byte extension, int count)
    {
        for (int i = 0; i < count; i++)
            builder.Extension(extension);
        return builder;
    }
}
