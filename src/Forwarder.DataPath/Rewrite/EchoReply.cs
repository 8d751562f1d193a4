using System.Runtime.CompilerServices;
using Forwarder.Packets;

namespace Forwarder.Rewrite;

/// <summary>
/// Answers an ICMP / ICMPv6 echo request to a VIP in place, as Katran does: MACs swapped (VLAN tag
/// kept), IP source and destination swapped, TTL / hop limit 64, type echo reply (ICMP 0, ICMPv6 129),
/// identifier, sequence and data echoed; link padding cut off. Checksums are updated incrementally:
/// swapping two addresses changes no sum (neither the IPv4 header's nor the ICMPv6 pseudo-header's),
/// so only the TTL (IPv4 header) and the type (ICMP message) count.
/// </summary>
public static unsafe class EchoReply
{
    private const byte IcmpEchoReply = 0;
    private const byte Icmpv6EchoReply = 129;
    private const byte HopLimit = 64;

    public static DropReason Answer(PacketBatch batch, int i, in ParsedPacket packet)
    {
        byte* frame = batch.Data(i);
        EthernetHeader.WriteSwappedMacs(frame, frame);
        byte* ip = frame + packet.L3Offset;
        byte* icmp = frame + packet.L4Offset;
        if (packet.Version == IpVersion.V4)
        {
            uint source = Unsafe.ReadUnaligned<uint>(ip + 12);
            Unsafe.WriteUnaligned(ip + 12, Unsafe.ReadUnaligned<uint>(ip + 16));
            Unsafe.WriteUnaligned(ip + 16, source);
            ReplaceByte(ip + 8, HopLimit, ip + IpHeaderFields.Ipv4Checksum); // TTL: the word [TTL, protocol] changes
            ReplaceByte(icmp, IcmpEchoReply, icmp + 2); // type: the word [type, code] changes
        }
        else
        {
            WireAddress source = WireAddress.ReadV6(ip + 8);
            OuterIpHeader.WriteAddress(ip + 8, WireAddress.ReadV6(ip + 24));
            OuterIpHeader.WriteAddress(ip + 24, source);
            ip[7] = HopLimit; // no checksum covers the hop limit
            ReplaceByte(icmp, Icmpv6EchoReply, icmp + 2);
        }
        batch.Length[i] = (uint)packet.IpEnd;
        return DropReason.None;
    }

    /// <summary>Sets the byte at <paramref name="at"/> (the first of a checksummed 16-bit word) and updates the checksum at <paramref name="checksum"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ReplaceByte(byte* at, byte value, byte* checksum)
    {
        ushort oldWord = Unsafe.ReadUnaligned<ushort>(at);
        *at = value;
        ushort newWord = Unsafe.ReadUnaligned<ushort>(at);
        if (newWord != oldWord)
            Unsafe.WriteUnaligned(checksum, ChecksumUpdate.Update16(Unsafe.ReadUnaligned<ushort>(checksum), oldWord, newWord));
    }
}
