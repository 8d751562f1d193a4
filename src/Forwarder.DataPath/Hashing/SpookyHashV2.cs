using System.Buffers.Binary;
using System.Numerics;

namespace Forwarder.Hashing;

/// <summary>
/// Bob Jenkins' SpookyHash, version 2, 128-bit form (<c>SpookyHash::Hash128</c>), as folly uses it to
/// hash IPv6 addresses. Messages shorter than 192 bytes take the "short" path (four 64-bit lanes);
/// longer ones the "long" path (twelve lanes over 96-byte blocks). Words are read little-endian.
/// </summary>
public static class SpookyHashV2
{
    /// <summary>The algorithm's arbitrary constant: odd, with a balance of zeros and ones.</summary>
    private const ulong Constant = 0xdeadbeefdeadbeef;
    private const int LaneCount = 12;
    private const int BlockSize = LaneCount * 8;
    private const int ShortLimit = 2 * BlockSize;

    private static ReadOnlySpan<byte> MixRotations => [11, 32, 43, 31, 17, 28, 39, 57, 55, 54, 22, 46];
    private static ReadOnlySpan<byte> EndRotations => [44, 15, 34, 21, 38, 33, 10, 13, 38, 53, 42, 54];

    /// <summary>Hashes <paramref name="message"/> with the two 64-bit seeds and returns both 64-bit halves.</summary>
    public static (ulong Hash1, ulong Hash2) Hash128(ReadOnlySpan<byte> message, ulong seed1, ulong seed2) =>
        message.Length < ShortLimit ? HashShort(message, seed1, seed2) : HashLong(message, seed1, seed2);

    private static (ulong, ulong) HashShort(ReadOnlySpan<byte> message, ulong seed1, ulong seed2)
    {
        int length = message.Length;
        ulong a = seed1, b = seed2, c = Constant, d = Constant;

        // Whole 32-byte chunks, then one 16-byte chunk if at least 16 bytes remain.
        while (message.Length >= 32)
        {
            c += Word(message, 0);
            d += Word(message, 8);
            ShortMix(ref a, ref b, ref c, ref d);
            a += Word(message, 16);
            b += Word(message, 24);
            message = message[32..];
        }
        if (message.Length >= 16)
        {
            c += Word(message, 0);
            d += Word(message, 8);
            ShortMix(ref a, ref b, ref c, ref d);
            message = message[16..];
        }

        // The last 0..15 bytes: bytes 0..7 go into c and bytes 8..14 into d, little-endian; the
        // length sits in d's top byte. An empty remainder adds the constant to both instead.
        d += (ulong)length << 56;
        if (message.Length == 0)
        {
            c += Constant;
            d += Constant;
        }
        else
        {
            c += PartialWord(message, 0);
            d += PartialWord(message, 8);
        }
        ShortEnd(ref a, ref b, ref c, ref d);
        return (a, b);
    }

    private static (ulong, ulong) HashLong(ReadOnlySpan<byte> message, ulong seed1, ulong seed2)
    {
        Span<ulong> state = stackalloc ulong[LaneCount];
        for (int i = 0; i < LaneCount; i += 3)
        {
            state[i] = seed1;
            state[i + 1] = seed2;
            state[i + 2] = Constant;
        }

        Span<ulong> block = stackalloc ulong[LaneCount];
        while (message.Length >= BlockSize)
        {
            LoadBlock(message, block);
            Mix(block, state);
            message = message[BlockSize..];
        }

        // The last partial block, zero-padded, with its length in the block's last byte.
        Span<byte> last = stackalloc byte[BlockSize];
        last.Clear();
        message.CopyTo(last);
        last[BlockSize - 1] = (byte)message.Length;
        LoadBlock(last, block);
        for (int i = 0; i < LaneCount; i++)
        {
            state[i] += block[i];
        }
        EndPartial(state);
        EndPartial(state);
        EndPartial(state);
        return (state[0], state[1]);
    }

    private static void ShortMix(ref ulong h0, ref ulong h1, ref ulong h2, ref ulong h3)
    {
        h2 = BitOperations.RotateLeft(h2, 50); h2 += h3; h0 ^= h2;
        h3 = BitOperations.RotateLeft(h3, 52); h3 += h0; h1 ^= h3;
        h0 = BitOperations.RotateLeft(h0, 30); h0 += h1; h2 ^= h0;
        h1 = BitOperations.RotateLeft(h1, 41); h1 += h2; h3 ^= h1;
        h2 = BitOperations.RotateLeft(h2, 54); h2 += h3; h0 ^= h2;
        h3 = BitOperations.RotateLeft(h3, 48); h3 += h0; h1 ^= h3;
        h0 = BitOperations.RotateLeft(h0, 38); h0 += h1; h2 ^= h0;
        h1 = BitOperations.RotateLeft(h1, 37); h1 += h2; h3 ^= h1;
        h2 = BitOperations.RotateLeft(h2, 62); h2 += h3; h0 ^= h2;
        h3 = BitOperations.RotateLeft(h3, 34); h3 += h0; h1 ^= h3;
        h0 = BitOperations.RotateLeft(h0, 5); h0 += h1; h2 ^= h0;
        h1 = BitOperations.RotateLeft(h1, 36); h1 += h2; h3 ^= h1;
    }

    private static void ShortEnd(ref ulong h0, ref ulong h1, ref ulong h2, ref ulong h3)
    {
        h3 ^= h2; h2 = BitOperations.RotateLeft(h2, 15); h3 += h2;
        h0 ^= h3; h3 = BitOperations.RotateLeft(h3, 52); h0 += h3;
        h1 ^= h0; h0 = BitOperations.RotateLeft(h0, 26); h1 += h0;
        h2 ^= h1; h1 = BitOperations.RotateLeft(h1, 51); h2 += h1;
        h3 ^= h2; h2 = BitOperations.RotateLeft(h2, 28); h3 += h2;
        h0 ^= h3; h3 = BitOperations.RotateLeft(h3, 9); h0 += h3;
        h1 ^= h0; h0 = BitOperations.RotateLeft(h0, 47); h1 += h0;
        h2 ^= h1; h1 = BitOperations.RotateLeft(h1, 54); h2 += h1;
        h3 ^= h2; h2 = BitOperations.RotateLeft(h2, 32); h3 += h2;
        h0 ^= h3; h3 = BitOperations.RotateLeft(h3, 25); h0 += h3;
        h1 ^= h0; h0 = BitOperations.RotateLeft(h0, 63); h1 += h0;
    }

    /// <summary>The long path's per-block mix; lane i's step touches lanes i+1, i+2, i+10 and i+11 (mod 12).</summary>
    private static void Mix(ReadOnlySpan<ulong> data, Span<ulong> s)
    {
        for (int i = 0; i < LaneCount; i++)
        {
            int next = (i + 1) % LaneCount, second = (i + 2) % LaneCount;
            int tenth = (i + 10) % LaneCount, previous = (i + 11) % LaneCount;
            s[i] += data[i];
            s[second] ^= s[tenth];
            s[previous] ^= s[i];
            s[i] = BitOperations.RotateLeft(s[i], MixRotations[i]);
            s[previous] += s[next];
        }
    }

    private static void EndPartial(Span<ulong> h)
    {
        for (int i = 0; i < LaneCount; i++)
        {
            int next = (i + 1) % LaneCount, second = (i + 2) % LaneCount, previous = (i + 11) % LaneCount;
            h[previous] += h[next];
            h[second] ^= h[previous];
            h[next] = BitOperations.RotateLeft(h[next], EndRotations[i]);
        }
    }

    private static void LoadBlock(ReadOnlySpan<byte> bytes, Span<ulong> block)
    {
        for (int i = 0; i < LaneCount; i++)
        {
            block[i] = Word(bytes, 8 * i);
        }
    }

    private static ulong Word(ReadOnlySpan<byte> bytes, int offset) =>
        BinaryPrimitives.ReadUInt64LittleEndian(bytes[offset..]);

    /// <summary>Up to 8 bytes starting at <paramref name="offset"/>, little-endian, missing bytes zero.</summary>
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
