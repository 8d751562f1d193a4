namespace Forwarder.DataPlane;

/// <summary>
/// A bounded single-producer/single-consumer ring of captured frames, one per worker: the worker writes slots, the
/// control plane's capture writer reads them. Every slot is preallocated (<see cref="SlotBytes"/> = twice the snap
/// length: the frame as received, then as transmitted), so the producer never allocates and never waits — a frame
/// that finds the ring full is counted in <see cref="Overflow"/> and lost to the capture, never to forwarding.
///
/// Positions only grow. The producer writes a slot and then publishes it with a release store of
/// <see cref="_tail"/>; the consumer reads with an acquire load of it, copies the slots out and hands them back with a
/// release store of <see cref="_head"/>, which the producer reads with an acquire load before reusing a slot.
/// </summary>
public sealed class CaptureRing
{
    private readonly CaptureRecord[] _frames;
    private readonly byte[] _bytes;
    private readonly int _mask;
    private long _head;
    private long _tail;
    private long _overflow;

    /// <param name="slots">A power of two.</param>
    /// <param name="snapLength">Bytes kept of each side of a frame.</param>
    public CaptureRing(int slots, int snapLength)
    {
        if (slots < 1 || (slots & (slots - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(slots), slots, "a power of two");
        if (snapLength is < 1 or > CaptureFilter.MaxSnapLength)
            throw new ArgumentOutOfRangeException(nameof(snapLength), snapLength, $"1–{CaptureFilter.MaxSnapLength}");
        SnapLength = snapLength;
        SlotBytes = 2 * snapLength;
        _frames = new CaptureRecord[slots];
        _bytes = new byte[(long)slots * SlotBytes];
        _mask = slots - 1;
    }

    public int Capacity => _frames.Length;

    public int SnapLength { get; }

    public int SlotBytes { get; }

    /// <summary>Frames that matched but found the ring full (producer-written, read at any time).</summary>
    public long Overflow => Volatile.Read(ref _overflow);

    /// <summary>Frames published so far.</summary>
    public long Published => Volatile.Read(ref _tail);

    // ---- producer (the worker) ----

    /// <summary>The next free slot, or -1 (counted as overflow) when the consumer has not caught up.</summary>
    public int TryClaim()
    {
        long tail = _tail;
        if (tail - Volatile.Read(ref _head) >= _frames.Length)
        {
            _overflow++;
            return -1;
        }
        return (int)(tail & _mask);
    }

    public ref CaptureRecord Frame(int slot) => ref _frames[slot];

    public Span<byte> Received(int slot) => _bytes.AsSpan(slot * SlotBytes, SnapLength);

    public Span<byte> Transmitted(int slot) => _bytes.AsSpan(slot * SlotBytes + SnapLength, SnapLength);

    /// <summary>Makes the slot claimed last visible to the consumer.</summary>
    public void Publish() => Volatile.Write(ref _tail, _tail + 1);

    // ---- consumer (the capture writer) ----

    /// <summary>
    /// Hands the oldest published frame to <paramref name="read"/> (its header, the bytes kept as received, as
    /// transmitted) and frees its slot; false when there is none.
    /// </summary>
    public bool TryTake<TState>(CaptureRecordReader<TState> read, TState state)
    {
        long head = _head;
        if (head == Volatile.Read(ref _tail))
            return false;
        int slot = (int)(head & _mask);
        CaptureRecord frame = _frames[slot];
        read(state, frame, _bytes.AsSpan(slot * SlotBytes, frame.ReceivedKept), _bytes.AsSpan(slot * SlotBytes + SnapLength, frame.TransmittedKept));
        Volatile.Write(ref _head, head + 1);
        return true;
    }
}

/// <summary>Reads one frame out of a <see cref="CaptureRing"/> slot (the spans are valid only during the call).</summary>
public delegate void CaptureRecordReader<in TState>(TState state, in CaptureRecord frame, ReadOnlySpan<byte> received, ReadOnlySpan<byte> transmitted);
