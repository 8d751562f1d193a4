using System.Runtime.CompilerServices;
using Forwarder.Packets;

namespace Forwarder.Rewrite;

/// <summary>
/// NAT of an ICMP / ICMPv6 error about a NATed flow: the outer address on the VIP side and, in the
/// quoted packet, the same side's address and port, so that the receiver matches the error with the
/// packet it sent (or the client with the packet it sent to the VIP).
///
/// Every checksum stays right, incrementally: the outer IPv4 header's; the quoted IPv4 header's; the
/// quoted TCP/UDP checksum (pseudo-header address and port) when its field lies inside the quote — an
/// error often quotes only the first 8 transport bytes, which hold a UDP checksum but not a TCP one (a
/// quote ending between the checksum's two bytes leaves that byte as it was: it cannot be updated alone);
/// and the outer ICMP checksum, which covers every quoted byte that changed and, for ICMPv6 only, the
/// outer addresses through the pseudo-header. Each changed quoted field starts at an even offset from
/// the ICMP header (the quote starts 8 bytes in; IP headers and extension headers have even lengths),
/// so it updates the ICMP checksum as the 16-bit words it replaces.
/// </summary>
internal static unsafe class NatIcmpErrorRewrite
{
    /// <param name="outerAddressOffset">The outer address to replace, from the IP header.</param>
    /// <param name="quotedAddressOffset">The quoted address to replace, from the quoted IP header.</param>
    /// <param name="quotedPortOffset">The quoted port on the same side: 0 source, 2 destination.</param>
    /// <param name="newPort">Host order; 0 keeps the port.</param>
    public static void Apply(byte* frame, in ParsedPacket packet, int outerAddressOffset, int quotedAddressOffset, int quotedPortOffset,
        in WireAddress newAddress, ushort newPort)
    {
        IpVersion version = packet.Version;
        byte* ip = frame + packet.L3Offset;
        byte* icmpChecksumField = frame + packet.L4Offset + 2;
        ushort icmpChecksum = Unsafe.ReadUnaligned<ushort>(icmpChecksumField);

        byte* outerAddress = ip + outerAddressOffset;
        WireAddress oldOuter = IpHeaderFields.ReadAddress(outerAddress, version);
        if (version == IpVersion.V4)
            UpdateField(ip + IpHeaderFields.Ipv4Checksum, oldOuter.V4, newAddress.V4);
        else
            icmpChecksum = ChecksumUpdate.Update128(icmpChecksum, oldOuter, newAddress); // ICMPv6 pseudo-header
        IpHeaderFields.WriteAddress(outerAddress, newAddress, version);

        byte* quoted = frame + packet.EmbeddedL3Offset;
        byte* quotedAddress = quoted + quotedAddressOffset;
        WireAddress oldQuoted = IpHeaderFields.ReadAddress(quotedAddress, version);
        icmpChecksum = ChecksumUpdate.UpdateAddress(icmpChecksum, oldQuoted, newAddress, version);
        if (version == IpVersion.V4)
        {
            byte* field = quoted + IpHeaderFields.Ipv4Checksum;
            ushort old = Unsafe.ReadUnaligned<ushort>(field);
            ushort updated = UpdateField(field, oldQuoted.V4, newAddress.V4);
            icmpChecksum = ChecksumUpdate.Update16(icmpChecksum, old, updated);
        }
        IpHeaderFields.WriteAddress(quotedAddress, newAddress, version);

        byte* quotedL4 = frame + packet.EmbeddedL4Offset;
        byte* port = quotedL4 + quotedPortOffset; // the parser saw all 4 port bytes
        ushort oldPort = Unsafe.ReadUnaligned<ushort>(port);
        bool portChanges = newPort != 0;
        ushort wirePort = WireWriter.AsLoaded(newPort);

        int checksumOffset = IpHeaderFields.TransportChecksum(packet.Protocol);
        if (packet.EmbeddedL4Offset + checksumOffset + 2 <= packet.IpEnd)
        {
            byte* field = quotedL4 + checksumOffset;
            ushort old = Unsafe.ReadUnaligned<ushort>(field);
            bool udp = packet.Protocol == IpProtocol.Udp;
            if (!(udp && version == IpVersion.V4 && old == 0))
            {
                ushort updated = ChecksumUpdate.UpdateAddress(old, oldQuoted, newAddress, version);
                if (portChanges)
                    updated = ChecksumUpdate.Update16(updated, oldPort, wirePort);
                if (udp)
                    updated = Checksum.ForUdp(updated);
                Unsafe.WriteUnaligned(field, updated);
                icmpChecksum = ChecksumUpdate.Update16(icmpChecksum, old, updated);
            }
        }
        if (portChanges)
        {
            Unsafe.WriteUnaligned(port, wirePort);
            icmpChecksum = ChecksumUpdate.Update16(icmpChecksum, oldPort, wirePort);
        }

        Unsafe.WriteUnaligned(icmpChecksumField, icmpChecksum);
    }

    /// <summary>Updates the checksum at <paramref name="field"/> for a 32-bit change; returns the new checksum.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ushort UpdateField(byte* field, uint oldValue, uint newValue)
    {
        ushort updated = ChecksumUpdate.Update32(Unsafe.ReadUnaligned<ushort>(field), oldValue, newValue);
        Unsafe.WriteUnaligned(field, updated);
        return updated;
    }
}
