using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Forwarder.Hashing;

/// <summary>
/// The final step of the flow hash, <c>jhash_2words(source word, ports word, seed)</c>, over a
/// whole batch of flows held as parallel arrays: eight flows per instruction with Vector256, four
/// with Vector128, one at a time for the tail. Each flow carries its own seed (its VIP's, see
/// <see cref="FlowHash.SeedFor"/>), so one pass serves VIPs of different ring sizes.
/// <see cref="HashScalar"/> is the reference twin; every path returns bit-identical results.
/// Nothing here allocates.
/// </summary>
public static class FlowHashBatch
{
    /// <summary>What jhash_2words adds to all three words before the final mix, besides the seed.</summary>
    private const uint StartWithoutSeed = JenkinsHash.InitialValue + (2 << 2);

    /// <summary>
    /// Hashes flow i into <c>hashes[i]</c> for every i of <paramref name="sourceWords"/>, with seed
    /// <c>seeds[i]</c>, using the widest vectors the machine accelerates. <paramref name="ports"/> and
    /// <paramref name="seeds"/> have the same length; <paramref name="hashes"/> at least that length.
    /// </summary>
    public static void Hash(ReadOnlySpan<uint> sourceWords, ReadOnlySpan<uint> ports, ReadOnlySpan<uint> seeds, Span<uint> hashes)
    {
        if (Vector256.IsHardwareAccelerated)
        {
            HashVector256(sourceWords, ports, seeds, hashes);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            HashVector128(sourceWords, ports, seeds, hashes);
        }
        else
        {
            HashScalar(sourceWords, ports, seeds, hashes);
        }
    }

    /// <summary>One flow at a time; the reference for the vector paths.</summary>
    public static void HashScalar(ReadOnlySpan<uint> sourceWords, ReadOnlySpan<uint> ports, ReadOnlySpan<uint> seeds, Span<uint> hashes)
    {
        CheckLengths(sourceWords, ports, seeds, hashes);
        HashScalarFrom(0, sourceWords, ports, seeds, hashes);
    }

    /// <summary>Eight flows per step, then four, then one.</summary>
    public static void HashVector256(ReadOnlySpan<uint> sourceWords, ReadOnlySpan<uint> ports, ReadOnlySpan<uint> seeds, Span<uint> hashes)
    {
        CheckLengths(sourceWords, ports, seeds, hashes);
        ref uint source = ref MemoryMarshal.GetReference(sourceWords);
        ref uint port = ref MemoryMarshal.GetReference(ports);
        ref uint seed = ref MemoryMarshal.GetReference(seeds);
        ref uint hash = ref MemoryMarshal.GetReference(hashes);
        int count = sourceWords.Length;
        int i = 0;
        for (; i <= count - Vector256<uint>.Count; i += Vector256<uint>.Count)
        {
            Vector256<uint> c = Final256(
                Vector256.LoadUnsafe(ref source, (nuint)i),
                Vector256.LoadUnsafe(ref port, (nuint)i),
                Vector256.LoadUnsafe(ref seed, (nuint)i));
            c.StoreUnsafe(ref hash, (nuint)i);
        }
        i = HashVector128From(i, sourceWords, ports, seeds, hashes);
        HashScalarFrom(i, sourceWords, ports, seeds, hashes);
    }

    /// <summary>Four flows per step, then one.</summary>
    public static void HashVector128(ReadOnlySpan<uint> sourceWords, ReadOnlySpan<uint> ports, ReadOnlySpan<uint> seeds, Span<uint> hashes)
    {
        CheckLengths(sourceWords, ports, seeds, hashes);
        int i = HashVector128From(0, sourceWords, ports, seeds, hashes);
        HashScalarFrom(i, sourceWords, ports, seeds, hashes);
    }

    /// <summary>Hashes four at a time from <paramref name="start"/>; returns the first index left undone.</summary>
    private static int HashVector128From(int start, ReadOnlySpan<uint> sourceWords, ReadOnlySpan<uint> ports, ReadOnlySpan<uint> seeds, Span<uint> hashes)
    {
        ref uint source = ref MemoryMarshal.GetReference(sourceWords);
        ref uint port = ref MemoryMarshal.GetReference(ports);
        ref uint seed = ref MemoryMarshal.GetReference(seeds);
        ref uint hash = ref MemoryMarshal.GetReference(hashes);
        int count = sourceWords.Length;
        int i = start;
        for (; i <= count - Vector128<uint>.Count; i += Vector128<uint>.Count)
        {
            Vector128<uint> c = Final128(
                Vector128.LoadUnsafe(ref source, (nuint)i),
                Vector128.LoadUnsafe(ref port, (nuint)i),
                Vector128.LoadUnsafe(ref seed, (nuint)i));
            c.StoreUnsafe(ref hash, (nuint)i);
        }
        return i;
    }

    private static void HashScalarFrom(int start, ReadOnlySpan<uint> sourceWords, ReadOnlySpan<uint> ports, ReadOnlySpan<uint> seeds, Span<uint> hashes)
    {
        for (int i = start; i < sourceWords.Length; i++)
        {
            hashes[i] = JenkinsHash.Hash2Words(sourceWords[i], ports[i], seeds[i]);
        }
    }

    /// <summary>lookup3's final() on eight lanes; returns c. Mirrors <see cref="JenkinsHash.Final"/> line by line.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Final256(Vector256<uint> sourceWord, Vector256<uint> portsWord, Vector256<uint> seed)
    {
        Vector256<uint> start = seed + Vector256.Create(StartWithoutSeed);
        Vector256<uint> a = sourceWord + start, b = portsWord + start, c = start;
        c ^= b; c -= RotateLeft(b, 14);
        a ^= c; a -= RotateLeft(c, 11);
        b ^= a; b -= RotateLeft(a, 25);
        c ^= b; c -= RotateLeft(b, 16);
        a ^= c; a -= RotateLeft(c, 4);
        b ^= a; b -= RotateLeft(a, 14);
        c ^= b; c -= RotateLeft(b, 24);
        return c;
    }

    /// <summary>lookup3's final() on four lanes; returns c.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<uint> Final128(Vector128<uint> sourceWord, Vector128<uint> portsWord, Vector128<uint> seed)
    {
        Vector128<uint> start = seed + Vector128.Create(StartWithoutSeed);
        Vector128<uint> a = sourceWord + start, b = portsWord + start, c = start;
        c ^= b; c -= RotateLeft(b, 14);
        a ^= c; a -= RotateLeft(c, 11);
        b ^= a; b -= RotateLeft(a, 25);
        c ^= b; c -= RotateLeft(b, 16);
        a ^= c; a -= RotateLeft(c, 4);
        b ^= a; b -= RotateLeft(a, 14);
        c ^= b; c -= RotateLeft(b, 24);
        return c;
    }

    /// <summary>Lane-wise rotate: one instruction with AVX-512VL, two shifts and an or otherwise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> RotateLeft(Vector256<uint> value, [ConstantExpected(Min = 1, Max = 31)] byte count) =>
        Avx512F.VL.IsSupported
            ? Avx512F.VL.RotateLeft(value, count)
            : Vector256.ShiftLeft(value, count) | Vector256.ShiftRightLogical(value, 32 - count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<uint> RotateLeft(Vector128<uint> value, [ConstantExpected(Min = 1, Max = 31)] byte count) =>
        Avx512F.VL.IsSupported
            ? Avx512F.VL.RotateLeft(value, count)
            : Vector128.ShiftLeft(value, count) | Vector128.ShiftRightLogical(value, 32 - count);

    private static void CheckLengths(ReadOnlySpan<uint> sourceWords, ReadOnlySpan<uint> ports, ReadOnlySpan<uint> seeds, Span<uint> hashes)
    {
        if (ports.Length != sourceWords.Length || seeds.Length != sourceWords.Length || hashes.Length < sourceWords.Length)
        {
            ThrowLengthMismatch();
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowLengthMismatch() =>
        throw new ArgumentException("The ports and seeds spans must match the source words span, and the hash span must be at least as long.");
}
