using System.Runtime.CompilerServices;
using Forwarder.Packets;

namespace Forwarder.Rewrite;

/// <summary>
/// GUE variant 1 (draft-ietf-intarea-gue: direct IP-in-UDP, no GUE header), in place: outer IP (the backend's
/// family) + UDP to a fixed port, the inner IP packet right after the UDP header — what bpf/decap.c
/// strips (it recognises variant 1 by the inner version nibble, 4 or 6).
///
/// Outer IP as <see cref="IpipEncapsulation"/> but with protocol 17 and the configured source. UDP:
/// source port from the client's address and port, Katran's way (<see cref="GueSourcePort"/>), so one
/// flow keeps one port and the backend's RSS spreads flows over its queues; checksum 0 over IPv4
/// (allowed by RFC 768), computed over IPv6 (where 0 is not allowed for this use).
/// </summary>
public static unsafe class GueEncapsulation
{
    private const int UdpHeaderLength = 8;

    /// <summary>Bytes the outer headers add: 28 towards an IPv4 backend, 48 towards an IPv6 one.</summary>
    public static int Overhead(IpVersion backendVersion) => backendVersion == IpVersion.V4 ? 28 : 48;

    /// <summary>
    /// Encapsulates frame <paramref name="i"/> towards <paramref name="backend"/>, from <paramref name="outerSource"/> to UDP
    /// port <paramref name="destinationPort"/>. <paramref name="clientPort"/> is the port the outer source port is derived
    /// from (<see cref="EncapsulationPort"/>). Returns the verdict (None = transmit).
    /// </summary>
    public static DropReason Apply(PacketBatch batch, int i, in ParsedPacket packet, ushort clientPort, in WireAddress backend, IpVersion backendVersion,
        in WireAddress outerSource, ushort destinationPort, in EthernetAddresses macs)
    {
        int overhead = Overhead(backendVersion);
        DropReason verdict = Encapsulation.Prepend(batch, i, packet, overhead, backendVersion, macs, out byte* outer);
        if (verdict != DropReason.None)
            return verdict;

        int udpLength = UdpHeaderLength + packet.IpTotalLength;
        byte* udp;
        if (backendVersion == IpVersion.V4)
        {
            OuterIpHeader.WriteV4(outer, packet.TrafficClass, OuterIpHeader.V4Length + udpLength, OuterIpHeader.DontFragment(packet),
                IpProtocol.Udp, outerSource.V4, backend.V4);
            udp = outer + OuterIpHeader.V4Length;
        }
        else
        {
            OuterIpHeader.WriteV6WithoutSource(outer, packet.TrafficClass, udpLength, IpProtocol.Udp, backend);
            OuterIpHeader.WriteAddress(outer + 8, outerSource);
            udp = outer + OuterIpHeader.V6Length;
        }

        WireWriter.WriteUInt16BigEndian(udp, GueSourcePort.Of(packet, clientPort, backendVersion));
        WireWriter.WriteUInt16BigEndian(udp + 2, destinationPort);
        WireWriter.WriteUInt16BigEndian(udp + 4, (ushort)udpLength);
        Unsafe.WriteUnaligned(udp + 6, (ushort)0);
        if (backendVersion == IpVersion.V6)
        {
            // The UDP header and the inner packet are contiguous: one pass over the whole datagram.
            ulong sum = ChecksumPseudoHeader.SumV6(outerSource, backend, IpProtocol.Udp, (uint)udpLength);
            Unsafe.WriteUnaligned(udp + 6, Checksum.ForUdp(Checksum.Finish(Checksum.Add(sum, udp, udpLength))));
        }
        return DropReason.None;
    }
}
