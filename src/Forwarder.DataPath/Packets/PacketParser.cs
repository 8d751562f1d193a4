using System.Runtime.CompilerServices;

namespace Forwarder.Packets;

/// <summary>
/// Reads a received frame in place and says what it is: a TCP/UDP flow packet, an ICMP error about a
/// flow, an echo request, or a drop with exactly one <see cref="DropReason"/>.
///
/// Bounds. Every read is preceded by a check that the bytes lie inside the frame, and past the IP
/// header inside the IP packet (<c>end</c> = IP header start + total length, which is itself checked
/// against the frame): a frame that ends early is <see cref="DropReason.Truncated"/>, never a read
/// past its last byte. Offsets are native-width unsigned and only ever grow, each step by a length
/// already checked to fit, so no subtraction below zero and no overflow can occur. The parser
/// allocates nothing, throws nothing and never reads before the frame's first byte.
///
/// Layers, each check in this order (the first that fails names the drop):
/// <list type="number">
/// <item>Ethernet: fewer than 14 bytes → <see cref="DropReason.FrameTooShort"/>. One 802.1Q or
/// 802.1ad tag may follow (cut short → Truncated). Neither IPv4 nor IPv6 next (a second tag
/// included) → <see cref="DropReason.UnsupportedL3"/>.</item>
/// <item>IPv4: fewer than 20 bytes → Truncated; version ≠ 4, header length &lt; 20 or total length &lt;
/// header length → <see cref="DropReason.BadIpHeader"/>; total length past the frame → Truncated;
/// MF set or offset ≠ 0 → <see cref="DropReason.IpFragment"/> (DF alone is fine). Options are skipped.</item>
/// <item>IPv6: fewer than 40 bytes → Truncated; version ≠ 6 → BadIpHeader; 40 + payload length past
/// the frame → Truncated; extension headers are walked (see <see cref="Ipv6ExtensionHeaders"/>), and
/// a fragment header that makes the packet a fragment → IpFragment.</item>
/// <item>Transport: TCP (header and options inside the packet, data offset ≥ 5), UDP (8 bytes, length
/// in [8, rest of packet]), ICMP over IPv4, ICMPv6 over IPv6; anything else → <see cref="DropReason.UnsupportedL4"/>.
/// ICMP is read by <see cref="IcmpParser"/>.</item>
/// </list>
/// Katran drops IPv4 packets with options and does not walk IPv6 extension headers; here both are
/// parsed, so a superset of what Katran balances is balanced, with the same flow fields.
/// </summary>
public static unsafe class PacketParser
{
    private const int EthernetHeaderLength = 14;
    private const int EtherTypeOffset = 12;
    private const int VlanTagLength = 4;
    private const int Ipv4MinHeaderLength = 20;
    private const int Ipv6HeaderLength = 40;
    private const int TcpMinHeaderLength = 20;
    private const int UdpHeaderLength = 8;

    /// <summary>IPv4 "more fragments" and fragment offset bits of the flags/offset word.</summary>
    private const ushort Ipv4FragmentBits = 0x3FFF;
    private const ushort Ipv4DontFragment = 0x4000;

    /// <summary>Parses <paramref name="frame"/>; see <see cref="Parse(byte*, uint, out ParsedPacket)"/>.</summary>
    public static DropReason Parse(ReadOnlySpan<byte> frame, out ParsedPacket packet)
    {
        fixed (byte* start = frame)
        {
            return Parse(start, (uint)frame.Length, out packet);
        }
    }

    /// <summary>
    /// Parses the <paramref name="length"/> bytes at <paramref name="frame"/>. Returns <see cref="DropReason.None"/>
    /// with <paramref name="packet"/> filled, or the reason the frame cannot be balanced; after a drop,
    /// <paramref name="packet"/> holds what was read up to the failing check and its <see cref="ParsedPacket.Kind"/> is None.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // into the batch loop: the common frame pays no call
    public static DropReason Parse(byte* frame, uint length, out ParsedPacket packet)
    {
        packet = default;
        nuint end = length;
        if (end < EthernetHeaderLength)
            return DropReason.FrameTooShort;

        nuint l3 = EthernetHeaderLength;
        ushort etherType = WireReader.ReadUInt16BigEndian(frame + EtherTypeOffset);
        if (etherType is EtherType.Vlan or EtherType.ServiceVlan)
        {
            if (end < EthernetHeaderLength + VlanTagLength)
                return DropReason.Truncated;
            packet.HasVlan = true;
            packet.VlanTci = WireReader.ReadUInt16BigEndian(frame + EthernetHeaderLength);
            etherType = WireReader.ReadUInt16BigEndian(frame + EthernetHeaderLength + 2);
            l3 += VlanTagLength;
        }
        packet.L3Offset = (int)l3;

        if (etherType == EtherType.Ipv4)
            return ParseIpv4(frame, l3, end, ref packet);
        if (etherType == EtherType.Ipv6)
            return ParseIpv6(frame, l3, end, ref packet);
        return DropReason.UnsupportedL3;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static DropReason ParseIpv4(byte* frame, nuint l3, nuint frameEnd, ref ParsedPacket packet)
    {
        nuint available = frameEnd - l3;
        if (available < Ipv4MinHeaderLength)
            return DropReason.Truncated;
        byte* ip = frame + l3;
        byte versionAndLength = ip[0];
        if (versionAndLength >> 4 != 4)
            return DropReason.BadIpHeader;
        nuint headerLength = (nuint)(versionAndLength & 0x0F) * 4;
        nuint totalLength = WireReader.ReadUInt16BigEndian(ip + 2);
        if (headerLength < Ipv4MinHeaderLength || totalLength < headerLength)
            return DropReason.BadIpHeader;
        if (totalLength > available)
            return DropReason.Truncated;

        ushort flagsAndOffset = WireReader.ReadUInt16BigEndian(ip + 6);
        byte protocol = ip[9];
        packet.Version = IpVersion.V4;
        packet.TrafficClass = ip[1];
        packet.IpTotalLength = (int)totalLength;
        packet.HopLimit = ip[8];
        packet.Protocol = protocol;
        packet.DontFragment = (flagsAndOffset & Ipv4DontFragment) != 0;
        packet.Source = WireAddress.ReadV4(ip + 12);
        packet.Destination = WireAddress.ReadV4(ip + 16);
        nuint l4 = l3 + headerLength;
        packet.L4Offset = (int)l4;
        if ((flagsAndOffset & Ipv4FragmentBits) != 0)
        {
            packet.Fragment = true;
            return DropReason.IpFragment;
        }

        nuint end = l3 + totalLength;
        return protocol switch
        {
            IpProtocol.Tcp => ParseTcp(frame, l4, end, ref packet),
            IpProtocol.Udp => ParseUdp(frame, l4, end, ref packet),
            IpProtocol.Icmp => IcmpParser.ParseIcmpV4(frame, l4, end, ref packet),
            _ => DropReason.UnsupportedL4,
        };
    }

    private static DropReason ParseIpv6(byte* frame, nuint l3, nuint frameEnd, ref ParsedPacket packet)
    {
        nuint available = frameEnd - l3;
        if (available < Ipv6HeaderLength)
            return DropReason.Truncated;
        byte* ip = frame + l3;
        uint versionClassLabel = WireReader.ReadUInt32BigEndian(ip);
        if (versionClassLabel >> 28 != 6)
            return DropReason.BadIpHeader;
        nuint totalLength = Ipv6HeaderLength + (nuint)WireReader.ReadUInt16BigEndian(ip + 4);
        if (totalLength > available)
            return DropReason.Truncated;

        packet.Version = IpVersion.V6;
        packet.TrafficClass = (byte)(versionClassLabel >> 20);
        packet.IpTotalLength = (int)totalLength;
        packet.HopLimit = ip[7];
        packet.Source = WireAddress.ReadV6(ip + 8);
        packet.Destination = WireAddress.ReadV6(ip + 24);

        nuint end = l3 + totalLength;
        nuint l4 = l3 + Ipv6HeaderLength;
        byte protocol = ip[6];
        int budget = Ipv6ExtensionHeaders.MaxCount;
        DropReason chain = Ipv6ExtensionHeaders.Skip(frame, ref l4, end, ref protocol, ref budget, out ushort fragmentField);
        packet.Protocol = protocol;
        packet.L4Offset = (int)l4;
        if (chain != DropReason.None)
            return chain;
        if (fragmentField != 0)
        {
            packet.Fragment = true;
            return DropReason.IpFragment;
        }

        return protocol switch
        {
            IpProtocol.Tcp => ParseTcp(frame, l4, end, ref packet),
            IpProtocol.Udp => ParseUdp(frame, l4, end, ref packet),
            IpProtocol.Icmpv6 => IcmpParser.ParseIcmpV6(frame, l4, end, ref packet),
            _ => DropReason.UnsupportedL4,
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static DropReason ParseTcp(byte* frame, nuint l4, nuint end, ref ParsedPacket packet)
    {
        nuint available = end - l4;
        if (available < TcpMinHeaderLength)
            return DropReason.Truncated;
        byte* tcp = frame + l4;
        nuint headerLength = (nuint)(tcp[12] >> 4) * 4;
        if (headerLength < TcpMinHeaderLength)
            return DropReason.BadL4Header;
        if (headerLength > available)
            return DropReason.Truncated;
        packet.PortsWord = WireReader.Unaligned32(tcp);
        packet.TcpFlags = (TcpFlags)tcp[13];
        packet.Kind = PacketKind.Flow;
        return DropReason.None;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static DropReason ParseUdp(byte* frame, nuint l4, nuint end, ref ParsedPacket packet)
    {
        nuint available = end - l4;
        if (available < UdpHeaderLength)
            return DropReason.Truncated;
        byte* udp = frame + l4;
        nuint udpLength = WireReader.ReadUInt16BigEndian(udp + 4);
        if (udpLength < UdpHeaderLength || udpLength > available)
            return DropReason.BadL4Header;
        packet.PortsWord = WireReader.Unaligned32(udp);
        packet.Kind = PacketKind.Flow;
        return DropReason.None;
    }
}
