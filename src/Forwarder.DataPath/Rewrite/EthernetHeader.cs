using System.Runtime.CompilerServices;
using Forwarder.Packets;

namespace Forwarder.Rewrite;

/// <summary>
/// The Ethernet header of an outgoing frame: destination and source MAC, the received VLAN tag if
/// there was one (TPID and TCI as received), and the Ethernet type of the outgoing IP family. Its
/// length is the received packet's <see cref="ParsedPacket.L3Offset"/> (14, or 18 with a tag).
/// </summary>
internal static unsafe class EthernetHeader
{
    private const int MacsLength = 12;
    private const int TagLength = 4;

    /// <summary>The received tag (TPID and TCI) as its 4 bytes are in memory; 0 without one. Read it before anything overwrites the old header.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint ReadTag(byte* frame, in ParsedPacket packet) =>
        packet.HasVlan ? Unsafe.ReadUnaligned<uint>(frame + MacsLength) : 0;

    /// <summary>Writes the tag (when the packet had one) and the Ethernet type after the 12 MAC bytes at <paramref name="frame"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteTagAndType(byte* frame, in ParsedPacket packet, uint tag, IpVersion version)
    {
        byte* type = frame + MacsLength;
        if (packet.HasVlan)
        {
            Unsafe.WriteUnaligned(type, tag);
            type += TagLength;
        }
        WireWriter.WriteUInt16BigEndian(type, version == IpVersion.V4 ? EtherType.Ipv4 : EtherType.Ipv6);
    }

    /// <summary>
    /// Writes at <paramref name="destination"/> the MACs found at <paramref name="source"/> swapped (the
    /// sender becomes the destination). Both are read before either is written, so the two may overlap.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteSwappedMacs(byte* source, byte* destination)
    {
        uint oldDestinationHead = Unsafe.ReadUnaligned<uint>(source);
        ushort oldDestinationTail = Unsafe.ReadUnaligned<ushort>(source + 4);
        ushort oldSourceHead = Unsafe.ReadUnaligned<ushort>(source + 6);
        uint oldSourceTail = Unsafe.ReadUnaligned<uint>(source + 8);
        Unsafe.WriteUnaligned(destination, oldSourceHead);
        Unsafe.WriteUnaligned(destination + 2, oldSourceTail);
        Unsafe.WriteUnaligned(destination + 6, oldDestinationHead);
        Unsafe.WriteUnaligned(destination + 10, oldDestinationTail);
    }
}
