using System.Runtime.CompilerServices;
using Forwarder.Packets;

namespace Forwarder.Rewrite;

/// <summary>
/// The outer IPv4 or IPv6 header of an encapsulated packet, Katran's way: TTL / hop limit 64, the
/// inner ToS / traffic class copied, IPv4 ID 0, IPv6 flow label 0.
/// </summary>
internal static unsafe class OuterIpHeader
{
    public const int V4Length = 20;
    public const int V6Length = 40;
    public const byte HopLimit = 64;

    /// <summary>The IP protocol number of an IPv4 packet inside IP ("IP in IP").</summary>
    public const byte Ipv4Inside = 4;

    /// <summary>The IP protocol number of an IPv6 packet inside IP.</summary>
    public const byte Ipv6Inside = 41;

    private const uint DontFragmentFlag = 0x4000;

    /// <summary>The protocol / next header that says "an IP packet of this version follows".</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static byte InnerProtocol(IpVersion inner) => inner == IpVersion.V4 ? Ipv4Inside : Ipv6Inside;

    /// <summary>
    /// DF on an outer IPv4 header: set when the inner IPv4 packet forbids fragmentation, and always for
    /// an inner IPv6 packet (IPv6 is never fragmented on the path), so routers answer with ICMP instead.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool DontFragment(in ParsedPacket inner) => inner.Version == IpVersion.V6 || inner.DontFragment;

    /// <summary>
    /// Writes a 20-byte IPv4 header at <paramref name="ip"/>, checksum included. Addresses as loaded from the wire.
    /// The checksum is summed from the field values and the header stored as three whole words: reading
    /// freshly written bytes back (to sum them) would stall on the store buffer.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteV4(byte* ip, byte tos, int totalLength, bool dontFragment, byte protocol, uint source, uint destination)
    {
        if (BitConverter.IsLittleEndian)
        {
            // The header's words as they load: [0x45, ToS, length (2), ID 0 (2), flags, offset 0] and
            // [TTL, protocol, checksum (2), source]. The checksum of words as loaded, stored as loaded, is the
            // checksum (RFC 1071: the sum is independent of byte order), so no field is swapped but the length.
            ulong head = 0x45UL | (ulong)tos << 8 | (ulong)System.Buffers.Binary.BinaryPrimitives.ReverseEndianness((ushort)totalLength) << 16
                | (dontFragment ? (ulong)(DontFragmentFlag >> 8) << 48 : 0);
            ulong tail = HopLimit | (ulong)protocol << 8 | (ulong)source << 32;
            ulong loadedSum = (head & 0xFFFF_FFFF) + (head >> 32) + (tail & 0xFFFF_FFFF) + (tail >> 32) + destination;
            Unsafe.WriteUnaligned(ip, head);
            Unsafe.WriteUnaligned(ip + 8, tail | (ulong)Checksum.Finish(loadedSum) << 16);
            Unsafe.WriteUnaligned(ip + 16, destination);
            return;
        }

        uint flags = dontFragment ? DontFragmentFlag : 0;
        uint sourceHost = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(source);
        uint destinationHost = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(destination);
        // 16-bit big-endian words: 0x45|tos, total length, ID 0, flags|offset, TTL|protocol, (checksum), addresses.
        ulong sum = (0x4500u | tos) + (uint)(ushort)totalLength + flags + ((uint)HopLimit << 8 | protocol)
            + (sourceHost >> 16) + (sourceHost & 0xFFFF) + (destinationHost >> 16) + (destinationHost & 0xFFFF);
        ushort checksum = Checksum.Finish(sum);

        ulong first = 0x45UL | (ulong)tos << 8 | (ulong)(byte)(totalLength >> 8) << 16 | (ulong)(byte)totalLength << 24
            | (ulong)(byte)(flags >> 8) << 48;
        ulong second = HopLimit | (ulong)protocol << 8 | (ulong)(byte)(checksum >> 8) << 16 | (ulong)(byte)checksum << 24
            | (ulong)source << 32;
        first = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(first); // a big-endian host from here
        second = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(second) & 0xFFFFFFFF00000000UL | source;
        Unsafe.WriteUnaligned(ip, first);
        Unsafe.WriteUnaligned(ip + 8, second);
        Unsafe.WriteUnaligned(ip + 16, destination);
    }

    /// <summary>Writes a 40-byte IPv6 header at <paramref name="ip"/> except its source address (bytes 8–23).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteV6WithoutSource(byte* ip, byte trafficClass, int payloadLength, byte nextHeader, in WireAddress destination)
    {
        WireWriter.WriteUInt32BigEndian(ip, 0x6000_0000u | (uint)trafficClass << 20); // version 6, flow label 0
        WireWriter.WriteUInt16BigEndian(ip + 4, (ushort)payloadLength);
        ip[6] = nextHeader;
        ip[7] = HopLimit;
        WriteAddress(ip + 24, destination);
    }

    /// <summary>Stores the 16 bytes of <paramref name="address"/> at <paramref name="at"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteAddress(byte* at, in WireAddress address)
    {
        Unsafe.WriteUnaligned(at, address.Upper);
        Unsafe.WriteUnaligned(at + 8, address.Lower);
    }
}
