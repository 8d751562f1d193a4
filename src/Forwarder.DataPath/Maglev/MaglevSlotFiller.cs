using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Forwarder.Maglev;

/// <summary>
/// The table under construction plus each endpoint's place in its preference list. Claiming a slot
/// for an endpoint walks its list from where it stopped to the first free slot, exactly like
/// Katran's <c>while (result[cur] >= 0) next++</c> loop, but with two shortcuts that change nothing:
/// <list type="bullet">
/// <item>Occupancy is a bitmap (8 KiB for 65,537 slots), so the probe loop stays in L1 cache.</item>
/// <item>
/// The list position is stepped instead of recomputed. Katran computes <c>(offset + next * skip) % M</c>
/// in uint32, which wraps past 2^32 for large rings. We keep that uint32 value (<c>Cursor</c>) and its
/// residue (<c>Slot</c>) side by side: each step adds skip to both, and when the uint32 sum wraps, the
/// true value has lost 2^32, so the residue loses <c>2^32 mod M</c>. The residue therefore always equals
/// <c>Cursor % M</c>, which is what Katran reads.
/// </item>
/// </list>
/// </summary>
internal sealed class MaglevSlotFiller
{
    /// <summary>One endpoint's walk along its preference list, kept together for locality.</summary>
    private struct Walker
    {
        public uint Cursor;
        public uint Slot;
        public uint Skip;
        public int BackendId;
    }

    private readonly int[] _slots;
    private readonly ulong[] _occupied;
    private readonly Walker[] _walkers;
    private readonly uint _ringSize;
    private readonly uint _wrapLoss;
    private int _filled;

    /// <param name="permutations">Endpoint i's preference list, in the fill order.</param>
    /// <param name="backendIds">What endpoint i writes into the slots it claims.</param>
    public MaglevSlotFiller(int ringSize, ReadOnlySpan<MaglevPermutation> permutations, ReadOnlySpan<int> backendIds)
    {
        _ringSize = (uint)ringSize;
        _wrapLoss = (uint)((1UL << 32) % _ringSize);
        _slots = new int[ringSize];
        _occupied = new ulong[(ringSize + 63) / 64];
        _walkers = new Walker[permutations.Length];
        for (int i = 0; i < permutations.Length; i++)
        {
            // Offset < M, so it is its own residue.
            _walkers[i] = new Walker
            {
                Cursor = permutations[i].Offset,
                Slot = permutations[i].Offset,
                Skip = permutations[i].Skip,
                BackendId = backendIds[i],
            };
        }
    }

    /// <summary>The slots; complete once <see cref="Claim"/> has returned true.</summary>
    public int[] Slots => _slots;

    /// <summary>Gives endpoint <paramref name="endpoint"/> its next free preferred slot; true when that filled the table.</summary>
    public bool Claim(int endpoint)
    {
        ref Walker walker = ref _walkers[endpoint];
        ref ulong occupied = ref MemoryMarshal.GetArrayDataReference(_occupied);
        uint ringSize = _ringSize, wrapLoss = _wrapLoss;
        uint cursor = walker.Cursor, slot = walker.Slot, skip = walker.Skip;

        // Slot < M always, so the bitmap word index is in range.
        while ((Unsafe.Add(ref occupied, slot >> 6) & (1UL << (int)slot)) != 0)
        {
            Step(ref cursor, ref slot, skip, ringSize, wrapLoss);
        }
        Unsafe.Add(ref occupied, slot >> 6) |= 1UL << (int)slot;
        Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_slots), slot) = walker.BackendId;
        Step(ref cursor, ref slot, skip, ringSize, wrapLoss);

        walker.Cursor = cursor;
        walker.Slot = slot;
        return ++_filled == _slots.Length;
    }

    /// <summary>Moves one place along a preference list; keeps <c>slot == cursor % M</c> (see the type's remarks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step(ref uint cursor, ref uint slot, uint skip, uint ringSize, uint wrapLoss)
    {
        uint nextCursor = cursor + skip;
        uint nextSlot = slot + skip; // Both terms are below M, and 2M fits in uint32.
        nextSlot = nextSlot >= ringSize ? nextSlot - ringSize : nextSlot;
        if (nextCursor < cursor)
        {
            nextSlot = nextSlot >= wrapLoss ? nextSlot - wrapLoss : nextSlot + ringSize - wrapLoss;
        }
        cursor = nextCursor;
        slot = nextSlot;
    }
}
