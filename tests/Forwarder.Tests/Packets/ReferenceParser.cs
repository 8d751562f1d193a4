using System.Buffers.Binary;
using System.Runtime.Versioning;
using Forwarder.Hashing;
using Forwarder.Packets;

namespace Forwarder.Tests.Packets;

/// <summary>
/// The parser's specification written a second way, over spans and slices that throw on any access
/// out of range, for differential fuzzing: on every frame both must give the same verdict and, when
/// the frame parses, the same fields. Speed and allocation do not matter here; clarity does.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class ReferenceParser
{
    public static (DropReason Verdict, ParsedPacket Packet) Parse(ReadOnlySpan<byte> frame)
    {
        var p = new ParsedPacket();
        DropReason verdict = ParseFrame(frame, ref p);
        if (verdict != DropReason.None)
            p.Kind = PacketKind.None;
        return (verdict, p);
    }

    private static DropReason ParseFrame(ReadOnlySpan<byte> frame, ref ParsedPacket p)
    {
        if (frame.Length < 14)
            return DropReason.FrameTooShort;
        int l3 = 14;
        int etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[12..]);
        if (etherType is 0x8100 or 0x88A8)
        {
            if (frame.Length < 18)
                return DropReason.Truncated;
            p.HasVlan = true;
            p.VlanTci = BinaryPrimitives.ReadUInt16BigEndian(frame[14..]);
            etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[16..]);
            l3 = 18;
        }
        p.L3Offset = l3;
        return etherType switch
        {
            0x0800 => Ipv4(frame, l3, ref p),
            0x86DD => Ipv6(frame, l3, ref p),
            _ => DropReason.UnsupportedL3,
        };
    }

    private static DropReason Ipv4(ReadOnlySpan<byte> frame, int l3, ref ParsedPacket p)
    {
        ReadOnlySpan<byte> rest = frame[l3..];
        if (rest.Length < 20)
            return DropReason.Truncated;
        if (rest[0] >> 4 != 4)
            return DropReason.BadIpHeader;
        int headerLength = (rest[0] & 15) * 4;
        int totalLength = BinaryPrimitives.ReadUInt16BigEndian(rest[2..]);
        if (headerLength < 20 || totalLength < headerLength)
            return DropReason.BadIpHeader;
        if (totalLength > rest.Length)
            return DropReason.Truncated;
        ReadOnlySpan<byte> packet = rest[..totalLength];
        p.Version = IpVersion.V4;
        p.TrafficClass = packet[1];
        p.IpTotalLength = totalLength;
        p.HopLimit = packet[8];
        p.Protocol = packet[9];
        int flags = BinaryPrimitives.ReadUInt16BigEndian(packet[6..]);
        p.DontFragment = (flags & 0x4000) != 0;
        p.Source = WireAddress.FromBytes(packet.Slice(12, 4));
        p.Destination = WireAddress.FromBytes(packet.Slice(16, 4));
        p.L4Offset = l3 + headerLength;
        if ((flags & 0x2000) != 0 || (flags & 0x1FFF) != 0)
        {
            p.Fragment = true;
            return DropReason.IpFragment;
        }
        ReadOnlySpan<byte> payload = packet[headerLength..];
        return p.Protocol switch
        {
            6 => Tcp(payload, ref p),
            17 => Udp(payload, ref p),
            1 => Icmp(payload, p.L4Offset, ref p, isV6: false),
            _ => DropReason.UnsupportedL4,
        };
    }

    private static DropReason Ipv6(ReadOnlySpan<byte> frame, int l3, ref ParsedPacket p)
    {
        ReadOnlySpan<byte> rest = frame[l3..];
        if (rest.Length < 40)
            return DropReason.Truncated;
        if (rest[0] >> 4 != 6)
            return DropReason.BadIpHeader;
        int totalLength = 40 + BinaryPrimitives.ReadUInt16BigEndian(rest[4..]);
        if (totalLength > rest.Length)
            return DropReason.Truncated;
        ReadOnlySpan<byte> packet = rest[..totalLength];
        p.Version = IpVersion.V6;
        p.TrafficClass = (byte)((packet[0] & 0x0F) << 4 | packet[1] >> 4);
        p.IpTotalLength = totalLength;
        p.HopLimit = packet[7];
        p.Source = WireAddress.FromBytes(packet.Slice(8, 16));
        p.Destination = WireAddress.FromBytes(packet.Slice(24, 16));
        var (verdict, next, offset, fragment) = WalkExtensions(packet, 40, packet[6], quoted: false);
        p.Protocol = next;
        p.L4Offset = l3 + offset;
        if (verdict != DropReason.None)
            return verdict;
        if (fragment)
        {
            p.Fragment = true;
            return DropReason.IpFragment;
        }
        ReadOnlySpan<byte> payload = packet[offset..];
        return next switch
        {
            6 => Tcp(payload, ref p),
            17 => Udp(payload, ref p),
            58 => Icmp(payload, p.L4Offset, ref p, isV6: true),
            _ => DropReason.UnsupportedL4,
        };
    }

    /// <summary>
    /// Walks the chain in <paramref name="packet"/> from <paramref name="offset"/>. Outside a quote a
    /// fragment header with offset or M set ends the walk as a fragment; inside one, a first fragment is
    /// walked through and any other fragment ends it as a fragment.
    /// </summary>
    private static (DropReason, byte Next, int Offset, bool Fragment) WalkExtensions(ReadOnlySpan<byte> packet, int offset, byte next, bool quoted)
    {
        for (int count = 0; ; count++)
        {
            if (next is not (0 or 43 or 60 or 44))
                return (DropReason.None, next, offset, false);
            if (count == 8)
                return (DropReason.UnsupportedL4, next, offset, false);
            if (packet.Length - offset < 8)
                return (DropReason.Truncated, next, offset, false);
            ReadOnlySpan<byte> header = packet[offset..];
            int length = next == 44 ? 8 : (header[1] + 1) * 8;
            if (length > header.Length)
                return (DropReason.Truncated, next, offset, false);
            bool isFragment = next == 44;
            int fragmentOffset = BinaryPrimitives.ReadUInt16BigEndian(header[2..]) >> 3;
            bool more = (header[3] & 1) != 0;
            next = header[0];
            offset += length;
            if (isFragment && (fragmentOffset != 0 || (more && !quoted)))
                return (DropReason.None, next, offset, true);
        }
    }

    private static DropReason Tcp(ReadOnlySpan<byte> segment, ref ParsedPacket p)
    {
        if (segment.Length < 20)
            return DropReason.Truncated;
        int dataOffset = segment[12] >> 4;
        if (dataOffset < 5)
            return DropReason.BadL4Header;
        if (dataOffset * 4 > segment.Length)
            return DropReason.Truncated;
        p.PortsWord = FlowHash.PortsWord(BinaryPrimitives.ReadUInt16BigEndian(segment), BinaryPrimitives.ReadUInt16BigEndian(segment[2..]));
        p.TcpFlags = (TcpFlags)segment[13];
        p.Kind = PacketKind.Flow;
        return DropReason.None;
    }

    private static DropReason Udp(ReadOnlySpan<byte> datagram, ref ParsedPacket p)
    {
        if (datagram.Length < 8)
            return DropReason.Truncated;
        int length = BinaryPrimitives.ReadUInt16BigEndian(datagram[4..]);
        if (length < 8 || length > datagram.Length)
            return DropReason.BadL4Header;
        p.PortsWord = FlowHash.PortsWord(BinaryPrimitives.ReadUInt16BigEndian(datagram), BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]));
        p.Kind = PacketKind.Flow;
        return DropReason.None;
    }

    private static DropReason Icmp(ReadOnlySpan<byte> message, int l4, ref ParsedPacket p, bool isV6)
    {
        if (message.Length < 8)
            return DropReason.Truncated;
        p.IcmpType = message[0];
        p.IcmpCode = message[1];
        if (message[0] == (isV6 ? 128 : 8))
        {
            p.Kind = PacketKind.EchoRequest;
            return DropReason.None;
        }
        bool isError = isV6 ? message[0] is 1 or 2 : message[0] == 3;
        if (!isError)
            return DropReason.IcmpUnsupported;
        ReadOnlySpan<byte> quote = message[8..];
        int quotedL3 = l4 + 8;
        return isV6 ? QuotedIpv6(quote, quotedL3, ref p) : QuotedIpv4(quote, quotedL3, ref p);
    }

    private static DropReason QuotedIpv4(ReadOnlySpan<byte> quote, int quotedL3, ref ParsedPacket p)
    {
        if (quote.Length < 20)
            return DropReason.Truncated;
        if (quote[0] >> 4 != 4)
            return DropReason.BadIpHeader;
        int headerLength = (quote[0] & 15) * 4;
        if (headerLength < 20)
            return DropReason.BadIpHeader;
        if (headerLength > quote.Length)
            return DropReason.Truncated;
        if ((BinaryPrimitives.ReadUInt16BigEndian(quote[6..]) & 0x1FFF) != 0 || quote[9] is not (6 or 17))
            return DropReason.IcmpUnsupported;
        return QuotedFlow(quote, quotedL3, headerLength, quote[9], quote.Slice(16, 4), quote.Slice(12, 4), ref p);
    }

    private static DropReason QuotedIpv6(ReadOnlySpan<byte> quote, int quotedL3, ref ParsedPacket p)
    {
        if (quote.Length < 40)
            return DropReason.Truncated;
        if (quote[0] >> 4 != 6)
            return DropReason.BadIpHeader;
        var (verdict, next, offset, fragment) = WalkExtensions(quote, 40, quote[6], quoted: true);
        if (verdict == DropReason.UnsupportedL4 || fragment || (verdict == DropReason.None && next is not (6 or 17)))
            return DropReason.IcmpUnsupported;
        if (verdict != DropReason.None)
            return verdict;
        return QuotedFlow(quote, quotedL3, offset, next, quote.Slice(24, 16), quote.Slice(8, 16), ref p);
    }

    private static DropReason QuotedFlow(ReadOnlySpan<byte> quote, int quotedL3, int transportOffset, byte protocol,
        ReadOnlySpan<byte> client, ReadOnlySpan<byte> vip, ref ParsedPacket p)
    {
        if (quote.Length - transportOffset < 4)
            return DropReason.Truncated;
        ushort vipPort = BinaryPrimitives.ReadUInt16BigEndian(quote[transportOffset..]);
        ushort clientPort = BinaryPrimitives.ReadUInt16BigEndian(quote[(transportOffset + 2)..]);
        p.Source = WireAddress.FromBytes(client);
        p.Destination = WireAddress.FromBytes(vip);
        p.PortsWord = FlowHash.PortsWord(clientPort, vipPort);
        p.Protocol = protocol;
        p.EmbeddedL3Offset = quotedL3;
        p.EmbeddedL4Offset = quotedL3 + transportOffset;
        p.Kind = PacketKind.IcmpError;
        return DropReason.None;
    }
}
