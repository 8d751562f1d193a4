using System.Runtime.Versioning;
using Forwarder.Hashing;
using Forwarder.Packets;
using static Forwarder.Tests.Packets.ParserFixtures;

namespace Forwarder.Tests.Packets;

/// <summary>
/// Echo requests and ICMP errors. An error is sent by a router on the path to the client and quotes
/// the packet the VIP sent (VIP:vipPort → client:clientPort); the parser must report the client flow.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class IcmpFixtures
{
    /// <summary>The start of a packet from the VIP to the client, as an ICMPv4 error quotes it.</summary>
    public static byte[] QuotedV4(byte protocol, int bytes, int optionWords = 0)
    {
        var builder = FrameBuilder.Ipv4(Vip4, Client4).Ipv4Options(optionWords);
        builder = protocol == IpProtocol.Tcp ? builder.Tcp(80, 31337) : builder.Udp(80, 31337);
        byte[] packet = builder.BuildIpPacket();
        return packet[..Math.Min(bytes, packet.Length)];
    }

    /// <summary>The start of a packet from the VIP to the client, as an ICMPv6 error quotes it.</summary>
    public static byte[] QuotedV6(FrameBuilder vipToClient, int bytes = int.MaxValue)
    {
        byte[] packet = vipToClient.BuildIpPacket();
        return packet[..Math.Min(bytes, packet.Length)];
    }

    public static IEnumerable<ParserFixture> All()
    {
        ParsedPacket errorV4 = new()
        {
            Kind = PacketKind.IcmpError,
            Version = IpVersion.V4,
            Source = Address(Client4),
            Destination = Address(Vip4),
            Protocol = IpProtocol.Tcp,
            PortsWord = FlowHash.PortsWord(31337, 80),
            L3Offset = 14,
            L4Offset = 34,
            EmbeddedL3Offset = 42,
            EmbeddedL4Offset = 62,
            IpTotalLength = 20 + 8 + 28,
            HopLimit = 64,
            DontFragment = true,
            IcmpType = 3,
            IcmpCode = 4,
        };

        yield return Parsed("v4 icmp frag needed quoting tcp (header + 8 bytes)",
            FrameBuilder.Ipv4(Router4, Vip4).Icmp(3, 4, QuotedV4(IpProtocol.Tcp, 28), rest: 1400).Build(), errorV4);

        yield return Parsed("v4 icmp port unreachable quoting a whole udp packet, 802.1Q",
            FrameBuilder.Ipv4(Router4, Vip4).Vlan(42).Icmp(3, 3, QuotedV4(IpProtocol.Udp, 1000)).Build(),
            errorV4 with
            {
                Protocol = IpProtocol.Udp, IcmpCode = 3, HasVlan = true, VlanTci = 42, L3Offset = 18, L4Offset = 38,
                EmbeddedL3Offset = 46, EmbeddedL4Offset = 66, IpTotalLength = 20 + 8 + 46,
            });

        yield return Parsed("v4 icmp frag needed quoting only the ports",
            FrameBuilder.Ipv4(Router4, Vip4).Icmp(3, 4, QuotedV4(IpProtocol.Tcp, 24)).Build(),
            errorV4 with { IpTotalLength = 20 + 8 + 24 });

        yield return Parsed("v4 icmp host unreachable quoting an ip header with options",
            FrameBuilder.Ipv4(Router4, Vip4).Ipv4Options(2).Icmp(3, 1, QuotedV4(IpProtocol.Tcp, 36, optionWords: 2)).Build(),
            errorV4 with { IcmpCode = 1, L4Offset = 42, EmbeddedL3Offset = 50, EmbeddedL4Offset = 78, IpTotalLength = 28 + 8 + 36 });

        yield return Dropped("v4 icmp error quoting 3 of the 4 port bytes",
            FrameBuilder.Ipv4(Router4, Vip4).Icmp(3, 4, QuotedV4(IpProtocol.Tcp, 23)).Build(), DropReason.Truncated);

        yield return Dropped("v4 icmp error quoting half an ip header",
            FrameBuilder.Ipv4(Router4, Vip4).Icmp(3, 4, QuotedV4(IpProtocol.Tcp, 10)).Build(), DropReason.Truncated);

        yield return Dropped("v4 icmp error quoting an ipv6 header",
            FrameBuilder.Ipv4(Router4, Vip4).Icmp(3, 4, QuotedV6(FrameBuilder.Ipv6(Vip6, Client6).Tcp(80, 1))).Build(), DropReason.BadIpHeader);

        yield return Dropped("v4 icmp error quoting a header with IHL 4",
            FrameBuilder.Ipv4(Router4, Vip4).Icmp(3, 4, FrameBuilder.Ipv4(Vip4, Client4).Ihl(4).Tcp(80, 1).BuildIpPacket()).Build(),
            DropReason.BadIpHeader);

        yield return Dropped("v4 icmp error quoting a non-first fragment",
            FrameBuilder.Ipv4(Router4, Vip4).Icmp(3, 4, FrameBuilder.Ipv4(Vip4, Client4).Ipv4Fragment(0x2010).Tcp(80, 1).BuildIpPacket()).Build(),
            DropReason.IcmpUnsupported);

        yield return Parsed("v4 icmp error quoting a first fragment",
            FrameBuilder.Ipv4(Router4, Vip4).Icmp(3, 4, FrameBuilder.Ipv4(Vip4, Client4).Ipv4Fragment(0x2000).Tcp(80, 31337).BuildIpPacket()[..28]).Build(),
            errorV4);

        yield return Dropped("v4 icmp error quoting an icmp echo reply",
            FrameBuilder.Ipv4(Router4, Vip4).Icmp(3, 3, FrameBuilder.Ipv4(Vip4, Client4).Icmp(0, 0).BuildIpPacket()).Build(),
            DropReason.IcmpUnsupported);

        yield return Parsed("v4 icmp echo request",
            FrameBuilder.Ipv4(Client4, Vip4).Icmp(8, 0, new byte[32], rest: 0x00010002).Build(),
            FlowV4(IpProtocol.Icmp, 0, 0, 34, 60) with { Kind = PacketKind.EchoRequest, IcmpType = 8 });

        yield return Dropped("v4 icmp echo reply", FrameBuilder.Ipv4(Client4, Vip4).Icmp(0, 0).Build(), DropReason.IcmpUnsupported);

        yield return Dropped("v4 icmp time exceeded",
            FrameBuilder.Ipv4(Router4, Vip4).Icmp(11, 0, QuotedV4(IpProtocol.Tcp, 28)).Build(), DropReason.IcmpUnsupported);

        yield return Dropped("v4 icmp header cut short by the ip length",
            FrameBuilder.Ipv4(Client4, Vip4).Transport(IpProtocol.Icmp, [8, 0, 0, 0, 0, 0, 0]).Padding(20).Build(), DropReason.Truncated);

        ParsedPacket errorV6 = new()
        {
            Kind = PacketKind.IcmpError,
            Version = IpVersion.V6,
            Source = Address(Client6),
            Destination = Address(Vip6),
            Protocol = IpProtocol.Tcp,
            PortsWord = FlowHash.PortsWord(50000, 443),
            L3Offset = 14,
            L4Offset = 54,
            EmbeddedL3Offset = 62,
            EmbeddedL4Offset = 102,
            IpTotalLength = 40 + 8 + 60,
            HopLimit = 64,
            IcmpType = 2,
        };
        FrameBuilder vipToClientTcp = FrameBuilder.Ipv6(Vip6, Client6).Tcp(443, 50000, payload: 0);

        yield return Parsed("v6 packet too big quoting tcp",
            FrameBuilder.Ipv6(Router6, Vip6).Icmpv6(2, 0, QuotedV6(vipToClientTcp), rest: 1280).Build(), errorV6);

        yield return Parsed("v6 packet too big quoting only the ports",
            FrameBuilder.Ipv6(Router6, Vip6).Icmpv6(2, 0, QuotedV6(vipToClientTcp, 44)).Build(), errorV6 with { IpTotalLength = 40 + 8 + 44 });

        yield return Parsed("v6 destination unreachable quoting udp behind destination options, router behind hop-by-hop",
            FrameBuilder.Ipv6(Router6, Vip6).Extension(IpProtocol.HopByHopOptions)
                .Icmpv6(1, 4, QuotedV6(FrameBuilder.Ipv6(Vip6, Client6).Extension(IpProtocol.DestinationOptions, 1).Udp(53, 40000))).Build(),
            errorV6 with
            {
                Protocol = IpProtocol.Udp, PortsWord = FlowHash.PortsWord(40000, 53), IcmpType = 1, IcmpCode = 4,
                L4Offset = 62, EmbeddedL3Offset = 70, EmbeddedL4Offset = 126, IpTotalLength = 40 + 8 + 8 + 40 + 16 + 26,
            });

        yield return Parsed("v6 packet too big quoting a first fragment",
            FrameBuilder.Ipv6(Router6, Vip6).Icmpv6(2, 0, QuotedV6(FrameBuilder.Ipv6(Vip6, Client6).FragmentHeader(0, more: true).Tcp(443, 50000))).Build(),
            errorV6 with { EmbeddedL4Offset = 110, IpTotalLength = 40 + 8 + 40 + 8 + 20 });

        yield return Dropped("v6 packet too big quoting a non-first fragment",
            FrameBuilder.Ipv6(Router6, Vip6).Icmpv6(2, 0, QuotedV6(FrameBuilder.Ipv6(Vip6, Client6).FragmentHeader(3, more: true).Tcp(443, 50000))).Build(),
            DropReason.IcmpUnsupported);

        yield return Dropped("v6 packet too big quoting nine extension headers",
            FrameBuilder.Ipv6(Router6, Vip6).Icmpv6(2, 0, QuotedV6(Nine(FrameBuilder.Ipv6(Vip6, Client6)).Tcp(443, 50000))).Build(),
            DropReason.IcmpUnsupported);

        yield return Dropped("v6 packet too big quoting an extension header cut short",
            FrameBuilder.Ipv6(Router6, Vip6).Icmpv6(2, 0, QuotedV6(FrameBuilder.Ipv6(Vip6, Client6).Extension(IpProtocol.Routing, 3).Tcp(443, 1), 60)).Build(),
            DropReason.Truncated);

        yield return Dropped("v6 packet too big quoting an ipv4 header",
            FrameBuilder.Ipv6(Router6, Vip6).Icmpv6(2, 0, QuotedV4(IpProtocol.Tcp, 1000).Concat(new byte[20]).ToArray()).Build(),
            DropReason.BadIpHeader);

        yield return Dropped("v6 packet too big quoting icmpv6",
            FrameBuilder.Ipv6(Router6, Vip6).Icmpv6(2, 0, QuotedV6(FrameBuilder.Ipv6(Vip6, Client6).Icmpv6(129, 0))).Build(),
            DropReason.IcmpUnsupported);

        yield return Parsed("v6 echo request",
            FrameBuilder.Ipv6(Client6, Vip6).Icmpv6(128, 0, new byte[56]).Build(),
            FlowV6(IpProtocol.Icmpv6, 0, 0, 54, 40 + 64) with { Kind = PacketKind.EchoRequest, IcmpType = 128 });

        yield return Dropped("v6 neighbor solicitation", FrameBuilder.Ipv6(Client6, Vip6).Icmpv6(135, 0, new byte[16]).Build(), DropReason.IcmpUnsupported);

        yield return Dropped("v6 time exceeded",
            FrameBuilder.Ipv6(Router6, Vip6).Icmpv6(3, 0, QuotedV6(vipToClientTcp)).Build(), DropReason.IcmpUnsupported);

        yield return Dropped("icmpv6 over ipv4", FrameBuilder.Ipv4(Client4, Vip4).Icmpv6(128, 0).Build(), DropReason.UnsupportedL4);

        yield return Dropped("icmp over ipv6", FrameBuilder.Ipv6(Client6, Vip6).Icmp(8, 0).Build(), DropReason.UnsupportedL4);
    }

    private static FrameBuilder Nine(FrameBuilder builder)
    {
        for (int i = 0; i < 9; i++)
            builder.Extension(IpProtocol.DestinationOptions);
        return builder;
    }
}
