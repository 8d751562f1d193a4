using System.Numerics;

namespace Forwarder.Packets;

/// <summary>
/// ICMP and ICMPv6 messages to a VIP. Echo requests are reported as such (Katran answers them
/// itself). Destination unreachable (ICMP type 3, any code — code 4 is "fragmentation needed") and
/// ICMPv6 destination unreachable (1) / packet too big (2) quote the start of a packet the VIP side
/// sent to the client; the flow fields are taken from that quoted packet with source and destination
/// swapped (Katran's <c>parse_icmp</c>/<c>parse_icmpv6</c> take the quoted destination address as the
/// flow source, and <c>parse_tcp</c>/<c>parse_udp</c> swap the quoted ports when <c>F_ICMP</c> is set),
/// so the error hashes like the client's own packets and reaches the backend that owns the flow.
/// Every other type is <see cref="DropReason.IcmpUnsupported"/>.
///
/// The quoted packet is read within the outer packet's bytes only; its own length fields describe the
/// original packet, not the quote, and are not checked. Of its transport header only the 4 port bytes
/// are needed (RFC 792 guarantees 8); Katran wants the whole TCP/UDP header and an option-less quoted
/// IPv4 header, so it drops some errors balanced here. Checks, in order: 8 ICMP header bytes (else
/// Truncated); the type; the quoted IP header inside the quote (else Truncated), its version (else
/// <see cref="DropReason.BadIpHeader"/>), for IPv4 a header length ≥ 20 (else BadIpHeader); IPv6
/// extension headers; a non-first fragment (no ports) or a protocol other than TCP/UDP →
/// IcmpUnsupported; then the 4 port bytes (else Truncated).
/// </summary>
internal static unsafe class IcmpParser
{
    private const int IcmpHeaderLength = 8;
    private const int Ipv4MinHeaderLength = 20;
    private const int Ipv6HeaderLength = 40;
    private const int PortsLength = 4;

    private const byte IcmpV4EchoRequest = 8;
    private const byte IcmpV4DestinationUnreachable = 3;
    private const byte IcmpV6DestinationUnreachable = 1;
    private const byte IcmpV6PacketTooBig = 2;
    private const byte IcmpV6EchoRequest = 128;

    /// <summary>The fragment offset bits of an IPv4 flags/offset word.</summary>
    private const ushort Ipv4FragmentOffset = 0x1FFF;

    /// <summary>An ICMP message at <paramref name="l4"/>, inside an IPv4 packet that ends at <paramref name="end"/>.</summary>
    public static DropReason ParseIcmpV4(byte* frame, nuint l4, nuint end, ref ParsedPacket packet)
    {
        if (end - l4 < IcmpHeaderLength)
            return DropReason.Truncated;
        byte type = frame[l4];
        packet.IcmpType = type;
        packet.IcmpCode = frame[l4 + 1];
        if (type == IcmpV4EchoRequest)
        {
            packet.Kind = PacketKind.EchoRequest;
            return DropReason.None;
        }
        if (type != IcmpV4DestinationUnreachable)
            return DropReason.IcmpUnsupported;

        nuint quoted = l4 + IcmpHeaderLength;
        if (end - quoted < Ipv4MinHeaderLength)
            return DropReason.Truncated;
        byte* ip = frame + quoted;
        if (ip[0] >> 4 != 4)
            return DropReason.BadIpHeader;
        nuint headerLength = (nuint)(ip[0] & 0x0F) * 4;
        if (headerLength < Ipv4MinHeaderLength)
            return DropReason.BadIpHeader;
        if (headerLength > end - quoted)
            return DropReason.Truncated;
        if ((WireReader.ReadUInt16BigEndian(ip + 6) & Ipv4FragmentOffset) != 0)
            return DropReason.IcmpUnsupported;
        byte protocol = ip[9];
        if (protocol is not (IpProtocol.Tcp or IpProtocol.Udp))
            return DropReason.IcmpUnsupported;
        nuint quotedL4 = quoted + headerLength;
        if (end - quotedL4 < PortsLength)
            return DropReason.Truncated;

        packet.Source = WireAddress.ReadV4(ip + 16);
        packet.Destination = WireAddress.ReadV4(ip + 12);
        return SetQuotedFlow(frame, quoted, quotedL4, protocol, ref packet);
    }

    /// <summary>An ICMPv6 message at <paramref name="l4"/>, inside an IPv6 packet that ends at <paramref name="end"/>.</summary>
    public static DropReason ParseIcmpV6(byte* frame, nuint l4, nuint end, ref ParsedPacket packet)
    {
        if (end - l4 < IcmpHeaderLength)
            return DropReason.Truncated;
        byte type = frame[l4];
        packet.IcmpType = type;
        packet.IcmpCode = frame[l4 + 1];
        if (type == IcmpV6EchoRequest)
        {
            packet.Kind = PacketKind.EchoRequest;
            return DropReason.None;
        }
        if (type is not (IcmpV6DestinationUnreachable or IcmpV6PacketTooBig))
            return DropReason.IcmpUnsupported;

        nuint quoted = l4 + IcmpHeaderLength;
        if (end - quoted < Ipv6HeaderLength)
            return DropReason.Truncated;
        byte* ip = frame + quoted;
        if (ip[0] >> 4 != 6)
            return DropReason.BadIpHeader;

        // A first fragment (offset 0, M set) still carries the ports: walk on past its fragment header.
        nuint quotedL4 = quoted + Ipv6HeaderLength;
        byte protocol = ip[6];
        int budget = Ipv6ExtensionHeaders.MaxCount;
        while (true)
        {
            DropReason chain = Ipv6ExtensionHeaders.Skip(frame, ref quotedL4, end, ref protocol, ref budget, out ushort fragmentField);
            if (chain != DropReason.None)
                return chain == DropReason.UnsupportedL4 ? DropReason.IcmpUnsupported : chain;
            if (fragmentField == 0)
                break;
            if ((fragmentField & Ipv6ExtensionHeaders.FragmentOffsetMask) != 0)
                return DropReason.IcmpUnsupported;
        }
        if (protocol is not (IpProtocol.Tcp or IpProtocol.Udp))
            return DropReason.IcmpUnsupported;
        if (end - quotedL4 < PortsLength)
            return DropReason.Truncated;

        packet.Source = WireAddress.ReadV6(ip + 24);
        packet.Destination = WireAddress.ReadV6(ip + 8);
        return SetQuotedFlow(frame, quoted, quotedL4, protocol, ref packet);
    }

    private static DropReason SetQuotedFlow(byte* frame, nuint quoted, nuint quotedL4, byte protocol, ref ParsedPacket packet)
    {
        // The quote's ports are [VIP port, client port]; swapping the two 16-bit halves of the word as
        // loaded gives the wire order [client port, VIP port] on either byte order.
        packet.PortsWord = BitOperations.RotateLeft(WireReader.Unaligned32(frame + quotedL4), 16);
        packet.Protocol = protocol;
        packet.EmbeddedL3Offset = (int)quoted;
        packet.EmbeddedL4Offset = (int)quotedL4;
        packet.Kind = PacketKind.IcmpError;
        return DropReason.None;
    }
}
