using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Forwarder.Maglev;

/// <summary>
/// Ring index = <c>flow hash % ring size</c>, for one hash or a batch. Vectors have no integer
/// division, so the batch paths divide by multiplying with a precomputed reciprocal (Granlund and
/// Montgomery, "Division by Invariant Integers using Multiplication", 1994, figure 4.1): with
/// <c>l = ceil(log2 d)</c> and <c>m = floor(2^32 (2^l - d) / d) + 1</c>, the quotient of any uint32 n is
/// <c>(t + ((n - t) >> 1)) >> (l - 1)</c> where <c>t = (m * n) >> 32</c>. That is exact for every n, so
/// each path returns the same index as <see cref="IndexOf"/>, bit for bit.
/// </summary>
public readonly struct RingIndexer
{
    private readonly uint _multiplier;
    private readonly int _shift;

    /// <param name="ringSize">Any divisor of at least 2 (Maglev ring sizes are primes).</param>
    public RingIndexer(int ringSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ringSize, 2);
        RingSize = (uint)ringSize;
        int ceilLog2 = 32 - BitOperations.LeadingZeroCount(RingSize - 1);
        _multiplier = (uint)(((1UL << 32) * ((1UL << ceilLog2) - RingSize)) / RingSize + 1);
        _shift = ceilLog2 - 1;
    }

    public uint RingSize { get; }

    /// <summary>The slot of one flow hash.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int IndexOf(uint flowHash) => (int)(flowHash % RingSize);

    /// <summary>Writes the slot of <c>flowHashes[i]</c> into <c>indices[i]</c>, with the widest accelerated vectors.</summary>
    public void IndexBatch(ReadOnlySpan<uint> flowHashes, Span<int> indices)
    {
        if (Vector256.IsHardwareAccelerated)
        {
            IndexBatchVector256(flowHashes, indices);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            IndexBatchVector128(flowHashes, indices);
        }
        else
        {
            IndexBatchScalar(flowHashes, indices);
        }
    }

    /// <summary>One hash at a time with the <c>%</c> operator: the reference for the vector paths.</summary>
    public void IndexBatchScalar(ReadOnlySpan<uint> flowHashes, Span<int> indices)
    {
        CheckLengths(flowHashes, indices);
        IndexScalarFrom(0, flowHashes, indices);
    }

    public void IndexBatchVector256(ReadOnlySpan<uint> flowHashes, Span<int> indices)
    {
        CheckLengths(flowHashes, indices);
        ref uint hash = ref MemoryMarshal.GetReference(flowHashes);
        ref uint index = ref Unsafe.As<int, uint>(ref MemoryMarshal.GetReference(indices));
        int i = 0;
        for (; i <= flowHashes.Length - Vector256<uint>.Count; i += Vector256<uint>.Count)
        {
            Remainder(Vector256.LoadUnsafe(ref hash, (nuint)i)).StoreUnsafe(ref index, (nuint)i);
        }
        i = IndexVector128From(i, flowHashes, indices);
        IndexScalarFrom(i, flowHashes, indices);
    }

    public void IndexBatchVector128(ReadOnlySpan<uint> flowHashes, Span<int> indices)
    {
        CheckLengths(flowHashes, indices);
        int i = IndexVector128From(0, flowHashes, indices);
        IndexScalarFrom(i, flowHashes, indices);
    }

    /// <summary>Eight remainders at once; exact for every lane (see the type's remarks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal Vector256<uint> Remainder(Vector256<uint> n)
    {
        Vector256<uint> t = MultiplyHigh(n, _multiplier);
        Vector256<uint> quotient = Vector256.ShiftRightLogical(t + Vector256.ShiftRightLogical(n - t, 1), _shift);
        return n - quotient * RingSize;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal Vector128<uint> Remainder(Vector128<uint> n)
    {
        Vector128<uint> t = MultiplyHigh(n, _multiplier);
        Vector128<uint> quotient = Vector128.ShiftRightLogical(t + Vector128.ShiftRightLogical(n - t, 1), _shift);
        return n - quotient * RingSize;
    }

    private int IndexVector128From(int start, ReadOnlySpan<uint> flowHashes, Span<int> indices)
    {
        ref uint hash = ref MemoryMarshal.GetReference(flowHashes);
        ref uint index = ref Unsafe.As<int, uint>(ref MemoryMarshal.GetReference(indices));
        int i = start;
        for (; i <= flowHashes.Length - Vector128<uint>.Count; i += Vector128<uint>.Count)
        {
            Remainder(Vector128.LoadUnsafe(ref hash, (nuint)i)).StoreUnsafe(ref index, (nuint)i);
        }
        return i;
    }

    private void IndexScalarFrom(int start, ReadOnlySpan<uint> flowHashes, Span<int> indices)
    {
        for (int i = start; i < flowHashes.Length; i++)
        {
            indices[i] = (int)(flowHashes[i] % RingSize);
        }
    }

    /// <summary>The upper 32 bits of each lane times <paramref name="multiplier"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> MultiplyHigh(Vector256<uint> n, uint multiplier)
    {
        if (Avx2.IsSupported)
        {
            // vpmuludq multiplies the even lanes into 64-bit products; shifting by 32 moves the odd lanes down.
            Vector256<uint> m = Vector256.Create(multiplier);
            Vector256<ulong> even = Avx2.Multiply(n, m);
            Vector256<ulong> odd = Avx2.Multiply(Vector256.ShiftRightLogical(n.AsUInt64(), 32).AsUInt32(), m);
            return (Vector256.ShiftRightLogical(even, 32) | (odd & Vector256.Create(0xFFFF_FFFF_0000_0000UL))).AsUInt32();
        }
        var (lower, upper) = Vector256.Widen(n);
        Vector256<ulong> wide = Vector256.Create((ulong)multiplier);
        return Vector256.Narrow(Vector256.ShiftRightLogical(lower * wide, 32), Vector256.ShiftRightLogical(upper * wide, 32));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<uint> MultiplyHigh(Vector128<uint> n, uint multiplier)
    {
        if (Sse2.IsSupported)
        {
            Vector128<uint> m = Vector128.Create(multiplier);
            Vector128<ulong> even = Sse2.Multiply(n, m);
            Vector128<ulong> odd = Sse2.Multiply(Vector128.ShiftRightLogical(n.AsUInt64(), 32).AsUInt32(), m);
            return (Vector128.ShiftRightLogical(even, 32) | (odd & Vector128.Create(0xFFFF_FFFF_0000_0000UL))).AsUInt32();
        }
        var (lower, upper) = Vector128.Widen(n);
        Vector128<ulong> wide = Vector128.Create((ulong)multiplier);
        return Vector128.Narrow(Vector128.ShiftRightLogical(lower * wide, 32), Vector128.ShiftRightLogical(upper * wide, 32));
    }

    private static void CheckLengths(ReadOnlySpan<uint> flowHashes, Span<int> indices)
    {
        if (indices.Length < flowHashes.Length)
        {
            ThrowTooShort();
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowTooShort() =>
        throw new ArgumentException("The output span is shorter than the hash span.");
}
