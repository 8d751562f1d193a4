using System.Buffers.Binary;
using System.Runtime.Versioning;
using Forwarder.Tests.Packets;

namespace Forwarder.Tests.Rewrite;

/// <summary>
/// Checks every checksum of a frame by recomputing it with <see cref="ReferenceChecksum"/>, independently
/// of the code under test: IPv4 header checksums, TCP, UDP, ICMP and ICMPv6 checksums, and the same
/// inside the packets a frame carries — the inner packet of IP-in-IP, the payload of UDP to the GUE
/// port, the packet an ICMP error quotes (its IP header always; its transport checksum when the quote
/// holds the whole packet). Returns how many checksums were checked, so a test can tell it reached the
/// layers it expects.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class WireChecksums
{
    /// <param name="frame">The frame; unless <paramref name="padded"/>, it must end with its IP packet.</param>
    /// <param name="guePort">UDP to this port carries an inner IP packet (0: none does).</param>
    /// <param name="padded">Link padding may follow the IP packet (received frames).</param>
    public static int AssertValid(ReadOnlySpan<byte> frame, ushort guePort = 0, bool padded = false)
    {
        int l3 = 14;
        ushort type = BinaryPrimitives.ReadUInt16BigEndian(frame[12..]);
        if (type is 0x8100 or 0x88A8)
        {
            type = BinaryPrimitives.ReadUInt16BigEndian(frame[16..]);
            l3 = 18;
        }
        Assert.True(type is 0x0800 or 0x86DD, $"ethernet type 0x{type:x4}");
        ReadOnlySpan<byte> ip = frame[l3..];
        Assert.Equal(type == 0x0800 ? 4 : 6, ip[0] >> 4);
        int length = type == 0x0800 ? BinaryPrimitives.ReadUInt16BigEndian(ip[2..]) : 40 + BinaryPrimitives.ReadUInt16BigEndian(ip[4..]);
        if (padded)
            ip = ip[..length];
        return IpPacket(ip, guePort, quoted: false, "");
    }

    private static int IpPacket(ReadOnlySpan<byte> packet, ushort guePort, bool quoted, string where)
    {
        int checkedCount = 0;
        ReadOnlySpan<byte> source, destination, payload;
        byte protocol;
        bool v4 = packet[0] >> 4 == 4;
        if (v4)
        {
            int headerLength = (packet[0] & 15) * 4;
            Assert.True(ReferenceChecksum.Compute(packet[..headerLength]) == 0, $"{where}ipv4 header checksum");
            checkedCount++;
            int total = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
            if (quoted && total > packet.Length)
                return checkedCount;
            Assert.True(total == packet.Length, $"{where}ipv4 total length {total}, {packet.Length} bytes");
            protocol = packet[9];
            source = packet.Slice(12, 4);
            destination = packet.Slice(16, 4);
            payload = packet[headerLength..];
        }
        else
        {
            Assert.Equal(6, packet[0] >> 4);
            int total = 40 + BinaryPrimitives.ReadUInt16BigEndian(packet[4..]);
            if (quoted && total > packet.Length)
                return checkedCount;
            Assert.True(total == packet.Length, $"{where}ipv6 length {total}, {packet.Length} bytes");
            source = packet.Slice(8, 16);
            destination = packet.Slice(24, 16);
            (protocol, int offset) = SkipExtensions(packet);
            payload = packet[offset..];
        }

        switch (protocol)
        {
            case 6:
                Assert.True(Transport(v4, source, destination, protocol, payload) == 0, $"{where}tcp checksum");
                checkedCount++;
                break;
            case 17:
                ushort udpChecksum = BinaryPrimitives.ReadUInt16BigEndian(payload[6..]);
                if (!(v4 && udpChecksum == 0)) // 0 is "no checksum", allowed over IPv4 only
                {
                    Assert.True(udpChecksum != 0, $"{where}udp checksum 0 over ipv6");
                    Assert.True(Transport(v4, source, destination, protocol, payload) == 0, $"{where}udp checksum");
                    checkedCount++;
                }
                if (guePort != 0 && BinaryPrimitives.ReadUInt16BigEndian(payload[2..]) == guePort)
                    checkedCount += IpPacket(payload[8..], 0, quoted: false, where + "gue inner ");
                break;
            case 1:
                Assert.True(v4, "icmp over ipv6");
                Assert.True(ReferenceChecksum.Compute(payload) == 0, $"{where}icmp checksum");
                checkedCount++;
                if (payload[0] == 3)
                    checkedCount += IpPacket(payload[8..], 0, quoted: true, where + "quoted ");
                break;
            case 58:
                Assert.False(v4, "icmpv6 over ipv4");
                Assert.True(Transport(v4, source, destination, protocol, payload) == 0, $"{where}icmpv6 checksum");
                checkedCount++;
                if (payload[0] is 1 or 2)
                    checkedCount += IpPacket(payload[8..], 0, quoted: true, where + "quoted ");
                break;
            case 4:
            case 41:
                checkedCount += IpPacket(payload, 0, quoted: false, where + "inner ");
                break;
            default:
                Assert.Fail($"{where}unexpected protocol {protocol}");
                break;
        }
        return checkedCount;
    }

    /// <summary>The recomputed checksum over pseudo-header and segment, the segment's checksum field included: 0 when it is right.</summary>
    private static ushort Transport(bool v4, ReadOnlySpan<byte> source, ReadOnlySpan<byte> destination, byte protocol, ReadOnlySpan<byte> segment) =>
        v4 ? ReferenceChecksum.TransportV4(source, destination, protocol, segment) : ReferenceChecksum.TransportV6(source, destination, protocol, segment);

    private static (byte Protocol, int Offset) SkipExtensions(ReadOnlySpan<byte> packet)
    {
        byte next = packet[6];
        int offset = 40;
        while (next is 0 or 43 or 44 or 60)
        {
            int length = next == 44 ? 8 : (packet[offset + 1] + 1) * 8;
            next = packet[offset];
            offset += length;
        }
        return (next, offset);
    }
}
