using System.Runtime.CompilerServices;
using Forwarder.Packets;

namespace Forwarder.Rewrite;

/// <summary>
/// Katran's IP-in-IP encapsulation, in place: IPv4-in-IPv4, IPv6-in-IPv6 and IPv4-in-IPv6 (the outer
/// family is the backend's). The new outer header goes into the frame's headroom.
///
/// Outer header: source from the client address and port (<see cref="EncapsulationSource"/>; the port
/// as <see cref="EncapsulationPort"/> gives it),
/// destination the backend, protocol / next header 4 (IPv4 inside) or 41 (IPv6 inside), TTL / hop
/// limit 64, ToS / traffic class of the received packet; IPv4: ID 0, DF as <see cref="OuterIpHeader.DontFragment"/>.
/// ICMP errors are encapsulated whole, with the source of the client flow they belong to.
/// </summary>
public static unsafe class IpipEncapsulation
{
    /// <summary>Bytes the outer header adds: 20 towards an IPv4 backend, 40 towards an IPv6 one.</summary>
    public static int Overhead(IpVersion backendVersion) => backendVersion == IpVersion.V4 ? 20 : 40;

    /// <summary>
    /// Encapsulates frame <paramref name="i"/> of <paramref name="batch"/> towards <paramref name="backend"/>;
    /// moves <c>batch.Address[i]</c> back and sets <c>batch.Length[i]</c>. Returns the verdict (None = transmit).
    /// <paramref name="clientPort"/> is the port the outer source is derived from (<see cref="EncapsulationPort"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // into the stage's forward loop, where ipip is the default mode
    public static DropReason Apply(PacketBatch batch, int i, in ParsedPacket packet, ushort clientPort, WireAddress backend, IpVersion backendVersion,
        EthernetAddresses macs) // by value: inlined into the stage's loop, the backend's words stay in registers
    {
        int overhead = Overhead(backendVersion);
        DropReason verdict = Encapsulation.Prepend(batch, i, packet, overhead, backendVersion, macs, out byte* outer);
        if (verdict != DropReason.None)
            return verdict;

        byte protocol = OuterIpHeader.InnerProtocol(packet.Version);
        if (backendVersion == IpVersion.V4)
        {
            OuterIpHeader.WriteV4(outer, packet.TrafficClass, overhead + packet.IpTotalLength, OuterIpHeader.DontFragment(packet),
                protocol, EncapsulationSource.V4(packet, clientPort), backend.V4);
        }
        else
        {
            OuterIpHeader.WriteV6WithoutSource(outer, packet.TrafficClass, packet.IpTotalLength, protocol, backend);
            EncapsulationSource.WriteV6(outer + 8, packet, clientPort);
        }
        return DropReason.None;
    }
}
