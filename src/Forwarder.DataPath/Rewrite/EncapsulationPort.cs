using System.Runtime.CompilerServices;
using Forwarder.Hashing;
using Forwarder.Packets;

namespace Forwarder.Rewrite;

/// <summary>
/// The client port that Katran's encapsulations derive their outer source from (the IP-in-IP source
/// address, the GUE source port): Katran's <c>flow.port16[0]</c> when it encapsulates. That is the
/// client's port, except for a "no source port" VIP (<c>F_HASH_NO_SRC_PORT</c>), where Katran sets it to 0
/// before it saves it for the encapsulation (so since mid-2023; before, the client's port went out):
/// all flows of one client then share one outer 5-tuple, as they share one backend.
/// </summary>
public static class EncapsulationPort
{
    /// <summary>The port, in host order, that the outer source of <paramref name="packet"/> is derived from under a VIP hashing with <paramref name="options"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort Of(in ParsedPacket packet, FlowHashOptions options) =>
        (options & FlowHashOptions.ZeroSourcePort) != 0 ? (ushort)0 : packet.SourcePort;

    /// <summary>
    /// For a <c>dport_only</c> VIP (<see cref="FlowHashOptions.DestinationPortOnly"/>), once its backend is chosen and
    /// nothing answers the client any more: Katran's hash step zeroes the flow's source address in the packet's
    /// description, and its encapsulations then derive the outer source (IP-in-IP address, GUE port) from that zero
    /// address and the client's port. The frame itself is not touched; only the parsed copy the rewrite reads.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ZeroClientAddress(ref ParsedPacket packet) => packet.Source = default;
}
