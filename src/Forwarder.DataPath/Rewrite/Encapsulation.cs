using System.Runtime.CompilerServices;
using Forwarder.Packets;

namespace Forwarder.Rewrite;

/// <summary>
/// The step IP-in-IP and GUE share: room for the outer headers in front of the inner IP packet.
///
/// The inner packet is not moved. The frame's start moves back by the outer headers' length into the
/// headroom, and a new Ethernet header (the given MACs, the received VLAN tag, the outer family's
/// type) is written there; the outer headers then fill the gap up to the inner packet, overwriting
/// the old Ethernet header. The outer headers are at least 20 bytes and an Ethernet header at most 18,
/// so the new Ethernet header never overlaps the old one; the tag is read before anything is written.
/// Link padding after the inner packet is dropped, so the frame never grows past its old end.
/// </summary>
internal static unsafe class Encapsulation
{
    private const int MaxIpLength = 0xFFFF;

    /// <summary>
    /// Prepends room for <paramref name="overhead"/> bytes of outer headers (<paramref name="outerVersion"/>
    /// first) to frame <paramref name="i"/>, writes its Ethernet header, and sets <c>batch.Address[i]</c> and
    /// <c>batch.Length[i]</c>. <paramref name="outerIp"/> is where the outer IP header goes. On a drop
    /// (<see cref="DropReason.NoHeadroom"/>, or <see cref="DropReason.PacketTooBig"/> when the outer length
    /// field cannot hold the result) nothing has been written.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DropReason Prepend(PacketBatch batch, int i, in ParsedPacket packet, int overhead, IpVersion outerVersion,
        EthernetAddresses macs, out byte* outerIp)
    {
        outerIp = null;
        ulong address = batch.Address[i]; // read once: the stores into the frame below may alias it for the JIT
        if ((uint)(address & (batch.FrameSize - 1)) < (uint)overhead) // batch.Headroom(i)
            return DropReason.NoHeadroom;
        int lengthField = overhead + packet.IpTotalLength - (outerVersion == IpVersion.V4 ? 0 : OuterIpHeader.V6Length);
        if (lengthField > MaxIpLength)
            return DropReason.PacketTooBig;

        byte* frame = batch.Area + address;
        uint tag = EthernetHeader.ReadTag(frame, packet);
        byte* start = frame - overhead;
        macs.Write(start);
        EthernetHeader.WriteTagAndType(start, packet, tag, outerVersion);
        batch.Address[i] = address - (ulong)overhead;
        batch.Length[i] = (uint)(packet.IpEnd + overhead);
        outerIp = start + packet.L3Offset;
        return DropReason.None;
    }
}
