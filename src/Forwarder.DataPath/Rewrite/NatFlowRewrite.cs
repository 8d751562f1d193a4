using System.Runtime.CompilerServices;
using Forwarder.Packets;

namespace Forwarder.Rewrite;

/// <summary>
/// Replaces one address of a packet's IP header and, for TCP/UDP, the port on the same side, keeping
/// every checksum right with incremental updates (RFC 1624): the IPv4 header checksum for the address,
/// the transport checksum for the address (through the pseudo-header) and the port. A UDP-over-IPv4
/// checksum of 0 ("none") stays 0; a UDP result of 0 goes out as 0xFFFF. An echo request has no
/// ports; its ICMPv6 checksum covers the pseudo-header, its ICMPv4 checksum does not.
/// </summary>
internal static unsafe class NatFlowRewrite
{
    /// <param name="addressOffset">The address to replace, from the IP header (<see cref="IpHeaderFields"/>).</param>
    /// <param name="portOffset">The port on the same side, from the transport header: 0 source, 2 destination.</param>
    /// <param name="newPort">Host order; 0 keeps the port.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Apply(byte* frame, in ParsedPacket packet, int addressOffset, int portOffset, in WireAddress newAddress, ushort newPort)
    {
        IpVersion version = packet.Version;
        byte* ip = frame + packet.L3Offset;
        byte* l4 = frame + packet.L4Offset;
        byte* address = ip + addressOffset;
        WireAddress oldAddress = IpHeaderFields.ReadAddress(address, version);
        bool portChanges = newPort != 0 && packet.Kind == PacketKind.Flow;
        byte* port = l4 + portOffset;
        ushort oldPort = portChanges ? Unsafe.ReadUnaligned<ushort>(port) : (ushort)0;
        ushort wirePort = WireWriter.AsLoaded(newPort);

        if (packet.Protocol != IpProtocol.Icmp)
        {
            byte* field = l4 + IpHeaderFields.TransportChecksum(packet.Protocol);
            ushort checksum = Unsafe.ReadUnaligned<ushort>(field);
            bool udp = packet.Protocol == IpProtocol.Udp;
            if (!(udp && version == IpVersion.V4 && checksum == 0))
            {
                checksum = ChecksumUpdate.UpdateAddress(checksum, oldAddress, newAddress, version);
                if (portChanges)
                    checksum = ChecksumUpdate.Update16(checksum, oldPort, wirePort);
                Unsafe.WriteUnaligned(field, udp ? Checksum.ForUdp(checksum) : checksum);
            }
        }
        if (portChanges)
            Unsafe.WriteUnaligned(port, wirePort);

        if (version == IpVersion.V4)
        {
            byte* field = ip + IpHeaderFields.Ipv4Checksum;
            Unsafe.WriteUnaligned(field, ChecksumUpdate.Update32(Unsafe.ReadUnaligned<ushort>(field), oldAddress.V4, newAddress.V4));
        }
        IpHeaderFields.WriteAddress(address, newAddress, version);
    }
}
