using System.Runtime.CompilerServices;
using Forwarder.Packets;

namespace Forwarder.Rewrite;

/// <summary>
/// Turns a packet that is too big to encapsulate into the ICMP "fragmentation needed" / ICMPv6 "packet
/// too big" answer to its client, sent back the way it came (MACs swapped, VLAN tag kept), from the VIP.
///
/// In place: the new Ethernet, IP and ICMP headers go into the headroom right in front of the received
/// IP header, which stays where it is and becomes the start of the quote; the frame is then cut so
/// that the answer is at most 576 bytes of IPv4 (RFC 1812 §4.3.2.3) or 1280 of IPv6 (RFC 4443 §2.4).
/// The new headers (48 bytes at most) cover at most the old Ethernet header, which is read first.
///
/// Refused with <see cref="DropReason.PacketTooBig"/>: an ICMP error (no error about an error,
/// RFC 1122 §3.2.2 and RFC 4443 §2.4), and IPv4 without DF (the sender allowed fragmentation; the
/// load balancer does not fragment, so the packet is dropped).
/// </summary>
public static unsafe class IcmpTooBig
{
    private const int Ipv4MaxAnswer = 576;
    private const int Ipv6MaxAnswer = 1280;
    private const int IcmpHeaderLength = 8;
    private const byte InternetControlTos = 0xC0; // precedence 6, as routers send ICMP
    private const byte DestinationUnreachable = 3;
    private const byte FragmentationNeeded = 4;
    private const byte Icmpv6PacketTooBig = 2;

    public static DropReason Answer(PacketBatch batch, int i, in ParsedPacket packet, int mtu)
    {
        bool v4 = packet.Version == IpVersion.V4;
        if (packet.Kind == PacketKind.IcmpError || (v4 && !packet.DontFragment))
            return DropReason.PacketTooBig;
        int ipLength = v4 ? OuterIpHeader.V4Length : OuterIpHeader.V6Length;
        int headers = ipLength + IcmpHeaderLength;
        if (batch.Headroom(i) < (uint)headers)
            return DropReason.NoHeadroom;

        byte* frame = batch.Data(i);
        uint tag = EthernetHeader.ReadTag(frame, packet);
        byte* start = frame - headers;
        EthernetHeader.WriteSwappedMacs(frame, start);
        EthernetHeader.WriteTagAndType(start, packet, tag, packet.Version);

        int quote = Math.Min(packet.IpTotalLength, (v4 ? Ipv4MaxAnswer : Ipv6MaxAnswer) - headers);
        int messageLength = IcmpHeaderLength + quote;
        byte* ip = start + packet.L3Offset;
        byte* icmp = ip + ipLength;
        // The client is the packet's source, the VIP its destination.
        if (v4)
        {
            OuterIpHeader.WriteV4(ip, InternetControlTos, ipLength + messageLength, dontFragment: false, IpProtocol.Icmp,
                packet.Destination.V4, packet.Source.V4);
            icmp[0] = DestinationUnreachable;
            icmp[1] = FragmentationNeeded;
            Unsafe.WriteUnaligned(icmp + 2, 0u); // checksum, unused
            WireWriter.WriteUInt16BigEndian(icmp + 6, (ushort)Math.Clamp(mtu, 0, 0xFFFF)); // next-hop MTU (RFC 1191)
            Unsafe.WriteUnaligned(icmp + 2, Checksum.Finish(Checksum.Add(0, icmp, messageLength)));
        }
        else
        {
            OuterIpHeader.WriteV6WithoutSource(ip, 0, messageLength, IpProtocol.Icmpv6, packet.Source);
            OuterIpHeader.WriteAddress(ip + 8, packet.Destination);
            icmp[0] = Icmpv6PacketTooBig;
            icmp[1] = 0;
            Unsafe.WriteUnaligned(icmp + 2, (ushort)0);
            WireWriter.WriteUInt32BigEndian(icmp + 4, (uint)Math.Max(mtu, 0));
            ulong sum = ChecksumPseudoHeader.SumV6(packet.Destination, packet.Source, IpProtocol.Icmpv6, (uint)messageLength);
            Unsafe.WriteUnaligned(icmp + 2, Checksum.Finish(Checksum.Add(sum, icmp, messageLength)));
        }

        batch.Address[i] -= (ulong)headers;
        batch.Length[i] = (uint)(packet.L3Offset + headers + quote);
        return DropReason.None;
    }
}
