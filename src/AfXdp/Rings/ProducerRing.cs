using System.Runtime.CompilerServices;

namespace AfXdp.Rings;

/// <summary>
/// The user-space side of a ring we produce into: FILL (frame addresses) or TX (descriptors).
/// A port of libxdp's inline helpers. The cached consumer index is kept <c>Size</c> ahead of the
/// real one, so <c>CachedConsumer - CachedProducer</c> is the number of free entries without a
/// branch. We read the kernel's consumer index with acquire semantics and publish our producer
/// index with release semantics, so the kernel never sees an entry before it is written.
/// </summary>
public readonly unsafe struct ProducerRing<T> where T : unmanaged
{
    private readonly XskRingNative* _ring;

    public ProducerRing(XskRingNative* ring) => _ring = ring;

    public uint Size => _ring->Size;

    public bool IsValid => _ring != null;

    /// <summary>Free entries, refreshing the cached consumer index only when fewer than <paramref name="wanted"/> seem free.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint FreeEntries(uint wanted)
    {
        XskRingNative* r = _ring;
        uint free = r->CachedConsumer - r->CachedProducer;
        if (free >= wanted)
            return free;
        r->CachedConsumer = Volatile.Read(ref *r->Consumer) + r->Size;
        return r->CachedConsumer - r->CachedProducer;
    }

    /// <summary>Reserves exactly <paramref name="count"/> entries or none; returns the number reserved.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint Reserve(uint count, out uint index)
    {
        XskRingNative* r = _ring;
        index = r->CachedProducer;
        if (FreeEntries(count) < count)
            return 0;
        r->CachedProducer += count;
        return count;
    }

    /// <summary>The entry at a reserved index.</summary>
    public ref T this[uint index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ref ((T*)_ring->Ring)[index & _ring->Mask];
    }

    /// <summary>Hands <paramref name="count"/> written entries to the kernel (release store).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Submit(uint count)
    {
        uint* producer = _ring->Producer;
        Volatile.Write(ref *producer, *producer + count);
    }

    /// <summary>Gives back the last <paramref name="count"/> reserved, not yet submitted, entries.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Cancel(uint count) => _ring->CachedProducer -= count;

    /// <summary>True when the kernel asks to be woken (need_wakeup mode) before it looks at this ring again.</summary>
    public bool NeedsWakeup
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (Volatile.Read(ref *_ring->Flags) & RingFlags.NeedWakeup) != 0;
    }

    /// <summary>
    /// Sets the cached indices from the shared ones, as a fresh mapping starts: for a process that takes the ring over
    /// from another producer (an upgrade), which must have stopped at a batch boundary (everything reserved submitted).
    /// </summary>
    public void Resync()
    {
        XskRingNative* r = _ring;
        r->CachedProducer = Volatile.Read(ref *r->Producer);
        r->CachedConsumer = Volatile.Read(ref *r->Consumer) + r->Size;
    }

    /// <summary>Entries submitted and not yet consumed by the kernel.</summary>
    public uint Outstanding => *_ring->Producer - Volatile.Read(ref *_ring->Consumer);
}
