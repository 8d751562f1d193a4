using System.Runtime.CompilerServices;

namespace AfXdp.Rings;

/// <summary>
/// The user-space side of a ring we consume from: RX (descriptors) or COMPLETION (frame addresses).
/// A port of libxdp's inline helpers: the kernel's producer index is read with acquire semantics
/// only when the cached entries are used up, and our consumer index is published with release
/// semantics after the entries have been read, so the kernel never overwrites an entry in use.
/// </summary>
public readonly unsafe struct ConsumerRing<T> where T : unmanaged
{
    private readonly XskRingNative* _ring;

    public ConsumerRing(XskRingNative* ring) => _ring = ring;

    public uint Size => _ring->Size;

    public bool IsValid => _ring != null;

    /// <summary>Entries ready to read, at most <paramref name="wanted"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint Available(uint wanted)
    {
        XskRingNative* r = _ring;
        uint entries = r->CachedProducer - r->CachedConsumer;
        if (entries == 0)
        {
            r->CachedProducer = Volatile.Read(ref *r->Producer);
            entries = r->CachedProducer - r->CachedConsumer;
        }
        return entries > wanted ? wanted : entries;
    }

    /// <summary>Takes up to <paramref name="wanted"/> entries starting at <paramref name="index"/>; returns how many.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint Peek(uint wanted, out uint index)
    {
        XskRingNative* r = _ring;
        uint entries = Available(wanted);
        index = r->CachedConsumer;
        r->CachedConsumer += entries;
        return entries;
    }

    /// <summary>The entry at a peeked index.</summary>
    public ref readonly T this[uint index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ref ((T*)_ring->Ring)[index & _ring->Mask];
    }

    /// <summary>Hands <paramref name="count"/> read entries back to the kernel (release store).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Release(uint count)
    {
        uint* consumer = _ring->Consumer;
        Volatile.Write(ref *consumer, *consumer + count);
    }

    /// <summary>Un-peeks the last <paramref name="count"/> entries, not yet released.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Cancel(uint count) => _ring->CachedConsumer -= count;

    /// <summary>
    /// Sets the cached indices from the shared ones, as a fresh mapping starts: for a process that takes the ring over
    /// from another consumer (an upgrade), which must have stopped at a batch boundary (everything peeked released).
    /// </summary>
    public void Resync()
    {
        XskRingNative* r = _ring;
        r->CachedConsumer = Volatile.Read(ref *r->Consumer);
        r->CachedProducer = Volatile.Read(ref *r->Producer);
    }

    /// <summary>
    /// Entries the kernel produced that the consumer has not released yet, read from the shared indices (the
    /// producer's, then the consumer's, each with acquire semantics). For watching a ring from another thread:
    /// it touches no cached index, so the consuming thread is undisturbed.
    /// </summary>
    public uint Unreleased => Volatile.Read(ref *_ring->Producer) - Volatile.Read(ref *_ring->Consumer);

    /// <summary>True when the kernel asks to be woken before it fills this ring again.</summary>
    public bool NeedsWakeup
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _ring->Flags != null && (Volatile.Read(ref *_ring->Flags) & RingFlags.NeedWakeup) != 0;
    }
}
