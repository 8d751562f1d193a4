using System.Runtime.CompilerServices;

namespace Forwarder.Packets;

/// <summary>
/// Incremental checksum update (RFC 1624, eqn. 3): when a covered field changes from m to m',
/// the checksum HC becomes HC' = ~(~HC + ~m + m'), in ones' complement arithmetic. Unlike eqn. 2 this
/// never turns a correct checksum into 0x0000 where recomputation would give 0xFFFF (RFC 1624 §3).
/// Values follow <see cref="Checksum"/>'s byte-order rule: the checksum, the old and the new field all
/// as loaded from the packet, the result stored the same way. A field that is part of a pseudo-header
/// (an address, a length) updates a TCP/UDP/ICMPv6 checksum the same way. A UDP-over-IPv4 checksum of
/// 0 means "none" and must be left alone; a UDP result of 0 goes out as 0xFFFF (<see cref="Checksum.ForUdp"/>).
/// </summary>
public static class ChecksumUpdate
{
    /// <summary>A 16-bit field changed (a port, a length, the TTL/protocol word, …).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort Update16(ushort checksum, ushort oldValue, ushort newValue) =>
        Checksum.Finish((ulong)(ushort)~checksum + (ushort)~oldValue + newValue);

    /// <summary>A 32-bit field changed (an IPv4 address, two adjacent ports, …).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort Update32(ushort checksum, uint oldValue, uint newValue) =>
        Checksum.Finish((ulong)(ushort)~checksum + ~oldValue + newValue);

    /// <summary>A 128-bit field changed: an IPv6 address replaced by another.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort Update128(ushort checksum, in WireAddress oldValue, in WireAddress newValue) =>
        Checksum.Finish((ulong)(ushort)~checksum
            + Halves(~oldValue.Upper) + Halves(~oldValue.Lower)
            + Halves(newValue.Upper) + Halves(newValue.Lower));

    /// <summary>An address of either version replaced (IPv4: the first 4 bytes, <see cref="WireAddress.V4"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort UpdateAddress(ushort checksum, in WireAddress oldValue, in WireAddress newValue, IpVersion version) =>
        version == IpVersion.V4 ? Update32(checksum, oldValue.V4, newValue.V4) : Update128(checksum, oldValue, newValue);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Halves(ulong word) => (word & 0xFFFF_FFFF) + (word >> 32);
}
