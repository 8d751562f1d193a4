using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Security.Cryptography;

namespace Forwarder.Maglev;

/// <summary>
/// An immutable Maglev table: slot i holds the backend id that flows with <c>hash % RingSize == i</c>
/// go to. Built by <see cref="MaglevBuilder"/> off the data path and shared read-only by all workers.
/// Lookups do not allocate, lock or throw (given output spans as long as their inputs).
/// </summary>
public sealed class MaglevTable
{
    private readonly int[] _slots;
    private readonly RingIndexer _indexer;
    private string? _digest;

    internal MaglevTable(int[] slots, MaglevVersion version)
    {
        _slots = slots;
        _indexer = new RingIndexer(slots.Length);
        Version = version;
    }

    public int RingSize => _slots.Length;

    public MaglevVersion Version { get; }

    public ReadOnlySpan<int> Slots => _slots;

    /// <summary>The slots array itself, for snapshots to share without a copy; never written after the build.</summary>
    public int[] SharedSlots => _slots;

    public RingIndexer Indexer => _indexer;

    /// <summary>The backend id of one flow.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Lookup(uint flowHash) => _slots[flowHash % (uint)_slots.Length];

    /// <summary>
    /// Writes the backend id of flow i into <c>backendIds[i]</c>: vectorised ring indices, then an AVX2
    /// gather where available (measured fastest), else plain loads.
    /// </summary>
    public void LookupBatch(ReadOnlySpan<uint> flowHashes, Span<int> backendIds)
    {
        if (Avx2.IsSupported)
        {
            LookupBatchGather(flowHashes, backendIds);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            LookupBatchVector256(flowHashes, backendIds);
        }
        else
        {
            _indexer.IndexBatch(flowHashes, backendIds);
            Gather(backendIds[..flowHashes.Length], backendIds);
        }
    }

    /// <summary>One flow at a time with <c>%</c>: the reference for <see cref="LookupBatch"/>.</summary>
    public void LookupBatchScalar(ReadOnlySpan<uint> flowHashes, Span<int> backendIds)
    {
        CheckLengths(flowHashes.Length, backendIds.Length);
        int[] slots = _slots;
        uint ringSize = (uint)slots.Length;
        for (int i = 0; i < flowHashes.Length; i++)
        {
            backendIds[i] = slots[flowHashes[i] % ringSize];
        }
    }

    /// <summary>Eight ring indices per step, stored, then eight plain loads; a scalar tail.</summary>
    public void LookupBatchVector256(ReadOnlySpan<uint> flowHashes, Span<int> backendIds)
    {
        CheckLengths(flowHashes.Length, backendIds.Length);
        ref uint hash = ref MemoryMarshal.GetReference(flowHashes);
        ref int output = ref MemoryMarshal.GetReference(backendIds);
        ref int slot0 = ref MemoryMarshal.GetArrayDataReference(_slots);
        int i = 0;
        for (; i <= flowHashes.Length - Vector256<uint>.Count; i += Vector256<uint>.Count)
        {
            _indexer.Remainder(Vector256.LoadUnsafe(ref hash, (nuint)i)).AsInt32().StoreUnsafe(ref output, (nuint)i);
            for (int lane = i; lane < i + Vector256<uint>.Count; lane++)
            {
                // Every remainder is below RingSize, so the unchecked load stays inside the table.
                ref int entry = ref Unsafe.Add(ref output, lane);
                entry = Unsafe.Add(ref slot0, (nuint)(uint)entry);
            }
        }
        for (; i < flowHashes.Length; i++)
        {
            backendIds[i] = _slots[flowHashes[i] % (uint)_slots.Length];
        }
    }

    /// <summary>
    /// Eight ring indices per step, then one AVX2 gather (scalar without AVX2). Where gathers are slow
    /// (some Intel parts with the Gather Data Sampling mitigation), <see cref="LookupBatchVector256"/> avoids them.
    /// </summary>
    public unsafe void LookupBatchGather(ReadOnlySpan<uint> flowHashes, Span<int> backendIds)
    {
        CheckLengths(flowHashes.Length, backendIds.Length);
        if (!Avx2.IsSupported)
        {
            LookupBatchScalar(flowHashes, backendIds);
            return;
        }
        ref uint hash = ref MemoryMarshal.GetReference(flowHashes);
        ref int output = ref MemoryMarshal.GetReference(backendIds);
        int i = 0;
        fixed (int* slots = _slots)
        {
            for (; i <= flowHashes.Length - Vector256<uint>.Count; i += Vector256<uint>.Count)
            {
                Vector256<int> index = _indexer.Remainder(Vector256.LoadUnsafe(ref hash, (nuint)i)).AsInt32();
                Avx2.GatherVector256(slots, index, 4).StoreUnsafe(ref output, (nuint)i);
            }
        }
        for (; i < flowHashes.Length; i++)
        {
            backendIds[i] = _slots[flowHashes[i] % (uint)_slots.Length];
        }
    }

    /// <summary>Writes the backend id in slot <c>slotIndices[i]</c> into <c>backendIds[i]</c>; the spans may be the same.</summary>
    public void Gather(ReadOnlySpan<int> slotIndices, Span<int> backendIds)
    {
        CheckLengths(slotIndices.Length, backendIds.Length);
        int[] slots = _slots;
        for (int i = 0; i < slotIndices.Length; i++)
        {
            backendIds[i] = slots[slotIndices[i]];
        }
    }

    /// <summary>How many slots each backend owns.</summary>
    public Dictionary<int, int> CountSlotsPerBackend()
    {
        var counts = new Dictionary<int, int>();
        foreach (int backendId in _slots)
        {
            counts[backendId] = counts.GetValueOrDefault(backendId) + 1;
        }
        return counts;
    }

    /// <summary>
    /// SHA-256 over the slots as little-endian int32s, lowercase hex: equal on two nodes exactly when
    /// their tables are equal (ring size included, through the length). Computed on first use.
    /// </summary>
    public string Digest => _digest ??= ComputeDigest(_slots);

    private static string ComputeDigest(int[] slots)
    {
        ReadOnlySpan<byte> bytes;
        if (BitConverter.IsLittleEndian)
        {
            bytes = MemoryMarshal.AsBytes(slots.AsSpan());
        }
        else
        {
            var swapped = new int[slots.Length];
            BinaryPrimitives.ReverseEndianness(slots, swapped);
            bytes = MemoryMarshal.AsBytes(swapped.AsSpan());
        }
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    private static void CheckLengths(int inputLength, int outputLength)
    {
        if (outputLength < inputLength)
        {
            ThrowTooShort();
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowTooShort() =>
        throw new ArgumentException("The output span is shorter than the input span.");
}
