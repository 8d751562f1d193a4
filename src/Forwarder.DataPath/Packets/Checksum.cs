using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Forwarder.Packets;

/// <summary>
/// The Internet checksum (RFC 1071): the ones' complement of the ones' complement sum of the data as
/// 16-bit words, an odd last byte padded with a zero byte.
///
/// Byte order. The ones' complement sum is independent of byte order (RFC 1071 §2(B)): summing the
/// words as the host loads them and storing the result the same way gives the right bytes on the
/// wire. So every 16-bit value here — checksums, old and new field values — is "as loaded": the
/// 2 wire bytes read with an unaligned native load (<c>Unsafe.ReadUnaligned&lt;ushort&gt;</c>,
/// <c>MemoryMarshal.Read&lt;ushort&gt;</c>), and a result is stored with the matching native store.
/// 32-bit values are 4 wire bytes loaded the same way (like <see cref="WireAddress.V4"/>).
///
/// Sums are kept in 64 bits and 32-bit pieces are added without carries; since 2^16 ≡ 1 modulo
/// 0xFFFF, folding the high bits back in at the end gives the same result as adding 16-bit words
/// with end-around carry. A non-zero sum never folds to 0x0000, as in ones' complement arithmetic.
/// </summary>
public static unsafe class Checksum
{
    private const int Ipv4MinHeaderLength = 20;

    /// <summary>Adds <paramref name="data"/> to a partial sum (start with 0). Sums of several pieces add up only if every piece but the last has even length.</summary>
    public static ulong Add(ulong sum, ReadOnlySpan<byte> data)
    {
        fixed (byte* start = data)
        {
            return Add(sum, start, data.Length);
        }
    }

    /// <summary>Adds the <paramref name="length"/> bytes at <paramref name="data"/> to a partial sum.</summary>
    public static ulong Add(ulong sum, byte* data, int length)
    {
        byte* p = data;
        byte* end = data + length;
        // Each 8-byte load contributes two 32-bit halves: no carry is lost for any realistic length.
        for (; end - p >= 32; p += 32)
        {
            ulong a = Unsafe.ReadUnaligned<ulong>(p), b = Unsafe.ReadUnaligned<ulong>(p + 8);
            ulong c = Unsafe.ReadUnaligned<ulong>(p + 16), d = Unsafe.ReadUnaligned<ulong>(p + 24);
            sum += (a & 0xFFFF_FFFF) + (a >> 32) + (b & 0xFFFF_FFFF) + (b >> 32)
                 + (c & 0xFFFF_FFFF) + (c >> 32) + (d & 0xFFFF_FFFF) + (d >> 32);
        }
        for (; end - p >= 4; p += 4)
            sum += Unsafe.ReadUnaligned<uint>(p);
        if (end - p >= 2)
        {
            sum += Unsafe.ReadUnaligned<ushort>(p);
            p += 2;
        }
        if (p < end)
            sum += BitConverter.IsLittleEndian ? *p : (uint)*p << 8; // the word [last byte, 0] as loaded
        return sum;
    }

    /// <summary>Folds a partial sum to 16 bits with end-around carry (not complemented).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort Fold(ulong sum)
    {
        // Adding a word to itself rotated by half its width leaves, in the upper half, the sum of both
        // halves plus the carry out of the lower half: one end-around-carry addition per step.
        ulong sum64 = sum + BitOperations.RotateRight(sum, 32);
        uint sum32 = (uint)(sum64 >> 32);
        sum32 += BitOperations.RotateRight(sum32, 16);
        return (ushort)(sum32 >> 16);
    }

    /// <summary>The checksum to store for a partial sum: its fold, complemented.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort Finish(ulong sum) => (ushort)~Fold(sum);

    /// <summary>The checksum of <paramref name="data"/> (whose checksum field, if any, must be zero).</summary>
    public static ushort Compute(ReadOnlySpan<byte> data) => Finish(Add(0, data));

    /// <summary>True when <paramref name="data"/>, checksum field included, sums to 0xFFFF (ones' complement zero).</summary>
    public static bool IsValid(ReadOnlySpan<byte> data) => Fold(Add(0, data)) == 0xFFFF;

    /// <summary>
    /// A UDP checksum as it must be sent: a computed 0x0000 goes out as 0xFFFF, because 0 in the field
    /// means "no checksum" (RFC 768). Over IPv4 a received 0 means exactly that and must not be updated.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort ForUdp(ushort checksum) => checksum == 0 ? (ushort)0xFFFF : checksum;

    /// <summary>
    /// The checksum of the IPv4 header at <paramref name="header"/> of <paramref name="headerLength"/> bytes
    /// (20–60, a multiple of 4), computed as if its checksum field (bytes 10–11) were zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort Ipv4Header(byte* header, int headerLength)
    {
        ulong sum = (ulong)Unsafe.ReadUnaligned<uint>(header)
            + Unsafe.ReadUnaligned<uint>(header + 4)
            + Unsafe.ReadUnaligned<ushort>(header + 8) // TTL and protocol; the checksum word is left out
            + Unsafe.ReadUnaligned<uint>(header + 12)
            + Unsafe.ReadUnaligned<uint>(header + 16);
        if (headerLength > Ipv4MinHeaderLength)
            sum = Add(sum, header + Ipv4MinHeaderLength, headerLength - Ipv4MinHeaderLength);
        return Finish(sum);
    }

    /// <summary>The checksum of an IPv4 header (length from its IHL field, at most the span), its checksum field counted as zero.</summary>
    public static ushort Ipv4Header(ReadOnlySpan<byte> header)
    {
        int length = Ipv4HeaderLength(header);
        fixed (byte* start = header)
        {
            return Ipv4Header(start, length);
        }
    }

    /// <summary>Computes and stores the checksum of the IPv4 header at the start of <paramref name="header"/>.</summary>
    public static void WriteIpv4Header(Span<byte> header)
    {
        ushort checksum = Ipv4Header(header);
        MemoryMarshal.Write(header[10..], in checksum);
    }

    private static int Ipv4HeaderLength(ReadOnlySpan<byte> header)
    {
        if (header.Length < Ipv4MinHeaderLength)
            throw new ArgumentException("an IPv4 header is at least 20 bytes", nameof(header));
        int length = (header[0] & 0x0F) * 4;
        if (length < Ipv4MinHeaderLength || length > header.Length)
            throw new ArgumentException("the IHL field does not fit the span", nameof(header));
        return length;
    }
}
