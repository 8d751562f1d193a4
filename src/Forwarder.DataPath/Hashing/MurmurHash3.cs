using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Forwarder.Hashing;

/// <summary>
/// Austin Appleby's MurmurHash3, x64 128-bit variant, plus the 16-byte special case Katran uses to
/// derive Maglev permutations (<see cref="X64Hash64"/>).
/// </summary>
public static class MurmurHash3
{
    private const ulong C1 = 0x87c37b91114253d5;
    private const ulong C2 = 0x4cf5ad432745937f;

    /// <summary>MurmurHash3_x64_128 over <paramref name="data"/>; the halves in output order (h1, h2).</summary>
    public static (ulong H1, ulong H2) X64Hash128(ReadOnlySpan<byte> data, uint seed)
    {
        ulong length = (ulong)data.Length;
        ulong h1 = seed, h2 = seed;

        while (data.Length >= 16)
        {
            MixBlock(ref h1, ref h2,
                BinaryPrimitives.ReadUInt64LittleEndian(data),
                BinaryPrimitives.ReadUInt64LittleEndian(data[8..]));
            data = data[16..];
        }

        // Tail of 0..15 bytes: bytes 0..7 form k1, bytes 8..14 form k2, little-endian.
        if (data.Length > 8)
        {
            h2 ^= MixK2(PartialWord(data, 8));
        }
        if (data.Length > 0)
        {
            h1 ^= MixK1(PartialWord(data, 0));
        }

        return Finish(h1, h2, length);
    }

    /// <summary>
    /// Katran's <c>MurmurHash3_x64_64(A, B, seed)</c>: MurmurHash3_x64_128 over the 16 bytes of
    /// <paramref name="a"/> then <paramref name="b"/> (little-endian), returning the first output half.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong X64Hash64(ulong a, ulong b, uint seed)
    {
        ulong h1 = seed, h2 = seed;
        MixBlock(ref h1, ref h2, a, b);
        return Finish(h1, h2, 16).H1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MixBlock(ref ulong h1, ref ulong h2, ulong k1, ulong k2)
    {
        h1 ^= MixK1(k1);
        h1 = BitOperations.RotateLeft(h1, 27);
        h1 += h2;
        h1 = h1 * 5 + 0x52dce729;

        h2 ^= MixK2(k2);
        h2 = BitOperations.RotateLeft(h2, 31);
        h2 += h1;
        h2 = h2 * 5 + 0x38495ab5;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong MixK1(ulong k1) => BitOperations.RotateLeft(k1 * C1, 31) * C2;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong MixK2(ulong k2) => BitOperations.RotateLeft(k2 * C2, 33) * C1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (ulong H1, ulong H2) Finish(ulong h1, ulong h2, ulong length)
    {
        h1 ^= length;
        h2 ^= length;
        h1 += h2;
        h2 += h1;
        h1 = FinalMix(h1);
        h2 = FinalMix(h2);
        h1 += h2;
        h2 += h1;
        return (h1, h2);
    }

    /// <summary>fmix64: forces every input bit to affect every output bit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong FinalMix(ulong k)
    {
        k ^= k >> 33;
        k *= 0xff51afd7ed558ccd;
        k ^= k >> 33;
        k *= 0xc4ceb9fe1a85ec53;
        k ^= k >> 33;
        return k;
    }

    private static ulong PartialWord(ReadOnlySpan<byte> bytes, int offset)
    {
        ulong word = 0;
        int end = Math.Min(bytes.Length, offset + 8);
        for (int k = offset; k < end; k++)
        {
            word |= (ulong)bytes[k] << (8 * (k - offset));
        }
        return word;
    }
}
