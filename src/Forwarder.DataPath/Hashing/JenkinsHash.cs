using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Forwarder.Hashing;

/// <summary>
/// Bob Jenkins' lookup3 hash in the form the Linux kernel ships it (<c>include/linux/jhash.h</c>),
/// which is also the form Katran's BPF program uses for its flow hash. Words are read little-endian,
/// so results match the kernel on x86 and on little-endian ARM.
/// </summary>
public static class JenkinsHash
{
    /// <summary>The kernel's <c>JHASH_INITVAL</c>, an arbitrary starting value.</summary>
    public const uint InitialValue = 0xdeadbeef;

    /// <summary>The kernel's <c>jhash(key, length, initval)</c> over arbitrary bytes.</summary>
    public static uint Hash(ReadOnlySpan<byte> key, uint initval)
    {
        uint a, b, c;
        a = b = c = InitialValue + (uint)key.Length + initval;

        // Whole 12-byte blocks, except the last: a key of exactly 12 bytes ends in the tail below.
        while (key.Length > 12)
        {
            a += BinaryPrimitives.ReadUInt32LittleEndian(key);
            b += BinaryPrimitives.ReadUInt32LittleEndian(key[4..]);
            c += BinaryPrimitives.ReadUInt32LittleEndian(key[8..]);
            Mix(ref a, ref b, ref c);
            key = key[12..];
        }

        if (key.Length == 0)
        {
            return c; // The kernel returns without the final mix when nothing is left.
        }

        // The tail: byte k goes into word k / 4 at bit 8 * (k % 4), exactly like the kernel's switch.
        a += TailWord(key, 0);
        b += TailWord(key, 4);
        c += TailWord(key, 8);
        Final(ref a, ref b, ref c);
        return c;
    }

    /// <summary>The kernel's <c>jhash_3words(a, b, c, initval)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Hash3Words(uint a, uint b, uint c, uint initval)
    {
        uint start = initval + InitialValue + (3 << 2);
        a += start;
        b += start;
        c += start;
        Final(ref a, ref b, ref c);
        return c;
    }

    /// <summary>The kernel's <c>jhash_2words(a, b, initval)</c>: three words with the third one zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Hash2Words(uint a, uint b, uint initval)
    {
        uint start = initval + InitialValue + (2 << 2);
        a += start;
        b += start;
        uint c = start;
        Final(ref a, ref b, ref c);
        return c;
    }

    /// <summary>The kernel's <c>jhash_1word(a, initval)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Hash1Word(uint a, uint initval)
    {
        uint start = initval + InitialValue + (1 << 2);
        a += start;
        uint b = start;
        uint c = start;
        Final(ref a, ref b, ref c);
        return c;
    }

    /// <summary>lookup3's <c>mix()</c>: reversible mixing of three words, used between 12-byte blocks.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Mix(ref uint a, ref uint b, ref uint c)
    {
        a -= c; a ^= BitOperations.RotateLeft(c, 4); c += b;
        b -= a; b ^= BitOperations.RotateLeft(a, 6); a += c;
        c -= b; c ^= BitOperations.RotateLeft(b, 8); b += a;
        a -= c; a ^= BitOperations.RotateLeft(c, 16); c += b;
        b -= a; b ^= BitOperations.RotateLeft(a, 19); a += c;
        c -= b; c ^= BitOperations.RotateLeft(b, 4); b += a;
    }

    /// <summary>lookup3's <c>final()</c>: the last mix, whose result is <paramref name="c"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Final(ref uint a, ref uint b, ref uint c)
    {
        c ^= b; c -= BitOperations.RotateLeft(b, 14);
        a ^= c; a -= BitOperations.RotateLeft(c, 11);
        b ^= a; b -= BitOperations.RotateLeft(a, 25);
        c ^= b; c -= BitOperations.RotateLeft(b, 16);
        a ^= c; a -= BitOperations.RotateLeft(c, 4);
        b ^= a; b -= BitOperations.RotateLeft(a, 14);
        c ^= b; c -= BitOperations.RotateLeft(b, 24);
    }

    /// <summary>Bytes [start, start + 4) of a 1..12-byte tail as a little-endian word, missing bytes zero.</summary>
    private static uint TailWord(ReadOnlySpan<byte> tail, int start)
    {
        uint word = 0;
        int end = Math.Min(tail.Length, start + 4);
        for (int k = start; k < end; k++)
        {
            word |= (uint)tail[k] << (8 * (k - start));
        }
        return word;
    }
}
