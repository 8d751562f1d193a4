using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Forwarder.Packets;

/// <summary>
/// The pseudo-headers that TCP, UDP (RFC 768/793: IPv4; RFC 8200 §8.1: IPv6) and ICMPv6 (RFC 4443)
/// include in their checksums, as partial sums for <see cref="Checksum"/>, and the full transport
/// checksums built on them. Addresses are as loaded from the wire (<see cref="WireAddress"/>);
/// protocol and length are plain numbers. Results follow <see cref="Checksum"/>'s byte-order rule.
/// </summary>
public static class ChecksumPseudoHeader
{
    /// <summary>IPv4: source, destination, zero, protocol, transport length (header and data).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong SumV4(uint source, uint destination, byte protocol, ushort transportLength) =>
        (ulong)source + destination + WireWord(protocol) + WireWord(transportLength);

    /// <summary>IPv6: source, destination, 32-bit upper-layer length, three zero bytes, next header.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong SumV6(in WireAddress source, in WireAddress destination, byte nextHeader, uint upperLayerLength) =>
        Halves(source.Upper) + Halves(source.Lower) + Halves(destination.Upper) + Halves(destination.Lower)
        + (BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(upperLayerLength) : upperLayerLength)
        + WireWord(nextHeader);

    /// <summary>
    /// The checksum of a TCP or UDP <paramref name="segment"/> over IPv4 (header and data, its checksum
    /// field zero). For UDP pass the result through <see cref="Checksum.ForUdp"/> before storing it.
    /// </summary>
    public static ushort ComputeV4(uint source, uint destination, byte protocol, ReadOnlySpan<byte> segment) =>
        Checksum.Finish(Checksum.Add(SumV4(source, destination, protocol, (ushort)segment.Length), segment));

    /// <summary>The checksum of a TCP, UDP or ICMPv6 <paramref name="segment"/> over IPv6 (its checksum field zero).</summary>
    public static ushort ComputeV6(in WireAddress source, in WireAddress destination, byte nextHeader, ReadOnlySpan<byte> segment) =>
        Checksum.Finish(Checksum.Add(SumV6(source, destination, nextHeader, (uint)segment.Length), segment));

    /// <summary>True when a received TCP/UDP segment over IPv4, checksum field included, checks out.</summary>
    public static bool IsValidV4(uint source, uint destination, byte protocol, ReadOnlySpan<byte> segment) =>
        Checksum.Fold(Checksum.Add(SumV4(source, destination, protocol, (ushort)segment.Length), segment)) == 0xFFFF;

    /// <summary>True when a received TCP/UDP/ICMPv6 segment over IPv6, checksum field included, checks out.</summary>
    public static bool IsValidV6(in WireAddress source, in WireAddress destination, byte nextHeader, ReadOnlySpan<byte> segment) =>
        Checksum.Fold(Checksum.Add(SumV6(source, destination, nextHeader, (uint)segment.Length), segment)) == 0xFFFF;

    /// <summary>The 16-bit big-endian wire value <paramref name="value"/> as a native load would see it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint WireWord(ushort value) =>
        BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(value) : value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Halves(ulong word) => (word & 0xFFFF_FFFF) + (word >> 32);
}
