using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using AfXdp;
using AfXdp.Rings;
using Forwarder.DataPlane;

namespace Forwarder.Tests.DataPlane;

/// <summary>
/// The kernel side of one AF_XDP queue, simulated: four rings laid out as the kernel maps them, a UMEM,
/// and methods that do what the kernel does — <see cref="Receive"/> takes frames from FILL and posts
/// them on RX, <see cref="TransmitAll"/> takes descriptors from TX, checks them and posts their frames
/// on COMPLETION.
///
/// It accounts for every frame in a <see cref="FrameLedger"/>. User space's moves are observed from
/// the ring indices (<see cref="ObserveUserSpace"/>): entries it released from RX and COMPLETION come
/// back to the worker, entries it submitted on FILL and TX leave it. Releases are applied before
/// submissions, because within one loop iteration the worker puts a received frame on TX before it
/// releases the RX entry. Any impossible move throws <see cref="FrameAccountingException"/>.
/// Nothing here allocates after construction, so it can run inside an allocation measurement.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed unsafe class SimulatedQueue : IDisposable
{
    /// <summary>Where the received packet starts inside its chunk (XDP_PACKET_HEADROOM).</summary>
    public const uint Headroom = 256;

    private const int ShortFrameLength = 10;

    private readonly NativeRing<ulong> _fill;
    private readonly NativeRing<ulong> _completion;
    private readonly NativeRing<XdpDesc> _rx;
    private readonly NativeRing<XdpDesc> _tx;
    private readonly byte* _area;
    private readonly FrameLedger _ledger;
    private readonly SimulatedWire _wire = new();

    // The indices user space had published when last observed.
    private uint _fillSeenProducer;
    private uint _txSeenProducer;
    private uint _rxSeenConsumer;
    private uint _completionSeenConsumer;

    public SimulatedQueue(
        uint frameCount = 4096,
        uint frameSize = 2048,
        uint fillSize = 2048,
        uint completionSize = 2048,
        uint rxSize = 1024,
        uint txSize = 1024,
        uint initialIndex = 0,
        bool txNeedsWakeup = true)
    {
        FrameCount = frameCount;
        FrameSize = frameSize;
        _fill = new NativeRing<ulong>(fillSize, producerSide: true, initialIndex);
        _completion = new NativeRing<ulong>(completionSize, producerSide: false, initialIndex);
        _rx = new NativeRing<XdpDesc>(rxSize, producerSide: false, initialIndex);
        _tx = new NativeRing<XdpDesc>(txSize, producerSide: true, initialIndex);
        _fillSeenProducer = _txSeenProducer = _rxSeenConsumer = _completionSeenConsumer = initialIndex;
        nuint bytes = (nuint)frameCount * frameSize;
        _area = (byte*)NativeMemory.AlignedAlloc(bytes, 4096);
        NativeMemory.Clear(_area, bytes);
        _ledger = new FrameLedger((int)frameCount);
        // Copy mode: the kernel transmits only when woken by sendto.
        *_tx.Flags = txNeedsWakeup ? RingFlags.NeedWakeup : 0;
        Rings = new QueueRings(
            new ProducerRing<ulong>(_fill.Ring),
            new ConsumerRing<ulong>(_completion.Ring),
            new ConsumerRing<XdpDesc>(_rx.Ring),
            new ProducerRing<XdpDesc>(_tx.Ring),
            _area, frameSize, frameCount);
    }

    public uint FrameCount { get; }
    public uint FrameSize { get; }
    public QueueRings Rings { get; }
    public FrameLedger Ledger => _ledger;
    public SimulatedKernel Kernel => new(this);

    /// <summary>Every n-th received frame is 10 bytes long (0: none), for the worker to drop.</summary>
    public int ShortFrameEvery { get; set; }

    /// <summary>
    /// When set, the NIC receives these frames in turn (the n-th received is <c>Frames[n % Count]</c>) instead of test
    /// packets, and the wire takes whatever goes out unchecked: the processor under test decides the bytes.
    /// </summary>
    public IReadOnlyList<byte[]>? Frames { get; set; }

    /// <summary>When set, the kernel transmits nothing: TX fills up and wakeups answer EAGAIN.</summary>
    public bool TxStalled { get; set; }

    /// <summary>When set, a TX wakeup transmits up to <see cref="TxBudgetPerWakeup"/> descriptors, answering EAGAIN if more remain.</summary>
    public bool TransmitOnWakeup { get; set; } = true;

    public int TxBudgetPerWakeup { get; set; } = 32;

    /// <summary>The FILL ring's need-wakeup flag: set, the kernel waits for a recvfrom before it looks at FILL again.</summary>
    public bool FillNeedsWakeup
    {
        get => (*_fill.Flags & RingFlags.NeedWakeup) != 0;
        set => *_fill.Flags = value ? RingFlags.NeedWakeup : 0;
    }

    /// <summary>TX wakeups allowed in all; one more throws, so a worker retrying EAGAIN without end fails instead of hanging.</summary>
    public long TxWakeupLimit { get; set; } = long.MaxValue;

    public long Received { get; private set; }
    public long ShortFramesReceived { get; private set; }
    public long Transmitted { get; private set; }
    public long TxWakeups { get; private set; }
    public long RxWakeups { get; private set; }

    /// <summary>Sequence number of the last frame transmitted, -1 before the first.</summary>
    public long LastTransmittedSequence => _wire.LastSequence;

    public uint TxPending => Volatile.Read(ref *_tx.Producer) - *_tx.Consumer;

    /// <summary>The NIC receives up to <paramref name="count"/> frames, as far as FILL has frames and RX has room.</summary>
    public int Receive(int count)
    {
        ObserveUserSpace();
        uint fillConsumer = *_fill.Consumer;
        uint rxProducer = *_rx.Producer;
        uint filled = _fillSeenProducer - fillConsumer;
        uint rxRoom = _rx.Size - (rxProducer - _rxSeenConsumer);
        uint n = Math.Min((uint)Math.Max(count, 0), Math.Min(filled, rxRoom));
        for (uint i = 0; i < n; i++)
        {
            ulong chunk = _fill.EntryAt(fillConsumer + i);
            uint frame = FrameOf(chunk, FramePlace.Fill);
            if (chunk % FrameSize != 0)
                throw new FrameAccountingException($"FILL address 0x{chunk:x} is not a chunk start");
            _ledger.Move(frame, FramePlace.Fill, FramePlace.Rx);
            _rx.EntryAt(rxProducer + i) = new XdpDesc { Address = chunk + Headroom, Length = WritePacket(chunk + Headroom) };
        }
        Volatile.Write(ref *_fill.Consumer, fillConsumer + n);
        Volatile.Write(ref *_rx.Producer, rxProducer + n);
        return (int)n;
    }

    /// <summary>The NIC sends up to <paramref name="budget"/> TX descriptors, as far as COMPLETION has room.</summary>
    public int TransmitAll(int budget = int.MaxValue)
    {
        ObserveUserSpace();
        uint txConsumer = *_tx.Consumer;
        uint completionProducer = *_completion.Producer;
        uint queued = _txSeenProducer - txConsumer;
        uint completionRoom = _completion.Size - (completionProducer - _completionSeenConsumer);
        uint n = Math.Min((uint)Math.Max(budget, 0), Math.Min(queued, completionRoom));
        for (uint i = 0; i < n; i++)
        {
            XdpDesc desc = _tx.EntryAt(txConsumer + i);
            _ledger.Move(FrameOf(desc.Address, FramePlace.Tx), FramePlace.Tx, FramePlace.Completion);
            if (Frames is null)
                _wire.Send(new ReadOnlySpan<byte>(_area + desc.Address, (int)desc.Length));
            // Like the kernel, COMPLETION gets the address as it was on TX, not the chunk start.
            _completion.EntryAt(completionProducer + i) = desc.Address;
        }
        Volatile.Write(ref *_tx.Consumer, txConsumer + n);
        Volatile.Write(ref *_completion.Producer, completionProducer + n);
        Transmitted += n;
        return (int)n;
    }

    internal int OnWakeTx()
    {
        if (++TxWakeups > TxWakeupLimit)
            throw new FrameAccountingException($"more than {TxWakeupLimit} TX wakeups");
        if (TxStalled)
            return TxPending > 0 ? Errnos.EAGAIN : 0;
        if (TransmitOnWakeup)
            TransmitAll(TxBudgetPerWakeup);
        return TransmitOnWakeup && TxPending > 0 ? Errnos.EAGAIN : 0;
    }

    internal int OnWakeRx()
    {
        RxWakeups++;
        return 0;
    }

    /// <summary>
    /// Checks that every frame is in exactly one place and the ledger agrees with the rings: each ring
    /// holds exactly the frames the ledger puts there, none twice, and the worker holds the rest.
    /// Call between loop iterations, when the worker's batch is empty.
    /// </summary>
    public void CheckConservation(int workerFreeFrames)
    {
        ObserveUserSpace();
        _ledger.BeginScan();
        CheckRing(_fill, FramePlace.Fill, *_fill.Consumer, _fillSeenProducer);
        CheckRing(_rx, FramePlace.Rx, _rxSeenConsumer, *_rx.Producer);
        CheckRing(_tx, FramePlace.Tx, *_tx.Consumer, _txSeenProducer);
        CheckRing(_completion, FramePlace.Completion, _completionSeenConsumer, *_completion.Producer);
        if (_ledger.Count(FramePlace.Worker) != workerFreeFrames)
            throw new FrameAccountingException(
                $"the worker's free stack has {workerFreeFrames} frames, the ledger says it holds {_ledger.Count(FramePlace.Worker)}");
    }

    /// <summary>Applies what user space did since last observed: releases first, then submissions.</summary>
    private void ObserveUserSpace()
    {
        uint rxConsumer = Volatile.Read(ref *_rx.Consumer);
        CheckAdvance("RX release", rxConsumer - _rxSeenConsumer, *_rx.Producer - _rxSeenConsumer);
        for (; _rxSeenConsumer != rxConsumer; _rxSeenConsumer++)
            _ledger.Move(FrameOf(_rx.EntryAt(_rxSeenConsumer).Address, FramePlace.Rx), FramePlace.Rx, FramePlace.Worker);

        uint completionConsumer = Volatile.Read(ref *_completion.Consumer);
        CheckAdvance("COMPLETION release", completionConsumer - _completionSeenConsumer, *_completion.Producer - _completionSeenConsumer);
        for (; _completionSeenConsumer != completionConsumer; _completionSeenConsumer++)
            _ledger.Move(FrameOf(_completion.EntryAt(_completionSeenConsumer), FramePlace.Completion), FramePlace.Completion, FramePlace.Worker);

        uint fillProducer = Volatile.Read(ref *_fill.Producer);
        CheckAdvance("FILL submit", fillProducer - _fillSeenProducer, _fill.Size - (_fillSeenProducer - *_fill.Consumer));
        for (; _fillSeenProducer != fillProducer; _fillSeenProducer++)
            _ledger.Move(FrameOf(_fill.EntryAt(_fillSeenProducer), FramePlace.Fill), FramePlace.Worker, FramePlace.Fill);

        uint txProducer = Volatile.Read(ref *_tx.Producer);
        CheckAdvance("TX submit", txProducer - _txSeenProducer, _tx.Size - (_txSeenProducer - *_tx.Consumer));
        for (; _txSeenProducer != txProducer; _txSeenProducer++)
        {
            XdpDesc desc = _tx.EntryAt(_txSeenProducer);
            uint frame = FrameOf(desc.Address, FramePlace.Tx);
            if (desc.Address + desc.Length > (ulong)(frame + 1) * FrameSize)
                throw new FrameAccountingException($"TX descriptor 0x{desc.Address:x}+{desc.Length} runs past its chunk");
            _ledger.Move(frame, FramePlace.Worker, FramePlace.Tx);
        }
    }

    private static void CheckAdvance(string what, uint advance, uint allowed)
    {
        if (advance > allowed)
            throw new FrameAccountingException($"{what} moved the index by {advance}, at most {allowed} possible");
    }

    private void CheckRing(NativeRing<ulong> ring, FramePlace place, uint from, uint to)
    {
        for (uint i = from; i != to; i++)
            CheckHeld(FrameOf(ring.EntryAt(i), place), place);
        CheckCount(place, to - from);
    }

    private void CheckRing(NativeRing<XdpDesc> ring, FramePlace place, uint from, uint to)
    {
        for (uint i = from; i != to; i++)
            CheckHeld(FrameOf(ring.EntryAt(i).Address, place), place);
        CheckCount(place, to - from);
    }

    private void CheckHeld(uint frame, FramePlace place)
    {
        if (_ledger.PlaceOf(frame) != place || _ledger.SeenTwiceInScan(frame))
            throw new FrameAccountingException($"frame {frame} found on {place}, the ledger puts it in {_ledger.PlaceOf(frame)} (or it is there twice)");
    }

    private void CheckCount(FramePlace place, uint onRing)
    {
        if (_ledger.Count(place) != onRing)
            throw new FrameAccountingException($"{place} holds {onRing} entries, the ledger counts {_ledger.Count(place)} frames there");
    }

    private uint FrameOf(ulong address, FramePlace ring)
    {
        ulong frame = address / FrameSize;
        if (frame >= FrameCount)
            throw new FrameAccountingException($"{ring} address 0x{address:x} is outside the UMEM");
        return (uint)frame;
    }

    private uint WritePacket(ulong address)
    {
        if (Frames is { } frames)
        {
            byte[] given = frames[(int)(Received++ % frames.Count)];
            if (given.Length > FrameSize - Headroom)
                throw new ArgumentException($"a {given.Length}-byte frame does not fit a {FrameSize}-byte chunk after the headroom");
            given.CopyTo(new Span<byte>(_area + address, given.Length));
            return (uint)given.Length;
        }
        var frame = new Span<byte>(_area + address, TestPacket.Length);
        uint sequence = (uint)Received++;
        bool isShort = ShortFrameEvery > 0 && sequence % (uint)ShortFrameEvery == 0;
        TestPacket.Template.CopyTo(frame);
        TestPacket.WriteSequence(frame, sequence);
        if (!isShort)
            return TestPacket.Length;
        ShortFramesReceived++;
        return ShortFrameLength;
    }

    /// <summary>
    /// The four rings mapped again, as another process adopting the socket maps them (an upgrade's successor): fresh
    /// ring structs over the same shared indices and entries, their cached indices set as a new mapping sets them now.
    /// </summary>
    public QueueRings MapAgain()
    {
        var views = (XskRingNative*)NativeMemory.AllocZeroed((nuint)(4 * sizeof(XskRingNative)));
        _remappings.Add((nint)views);
        views[0] = *_fill.Ring;
        views[1] = *_completion.Ring;
        views[2] = *_rx.Ring;
        views[3] = *_tx.Ring;
        views[0].CachedProducer = *_fill.Producer;
        views[0].CachedConsumer = *_fill.Consumer + _fill.Size;
        views[1].CachedProducer = *_completion.Producer;
        views[1].CachedConsumer = *_completion.Consumer;
        views[2].CachedProducer = *_rx.Producer;
        views[2].CachedConsumer = *_rx.Consumer;
        views[3].CachedProducer = *_tx.Producer;
        views[3].CachedConsumer = *_tx.Consumer + _tx.Size;
        return new QueueRings(
            new ProducerRing<ulong>(&views[0]), new ConsumerRing<ulong>(&views[1]),
            new ConsumerRing<XdpDesc>(&views[2]), new ProducerRing<XdpDesc>(&views[3]),
            _area, FrameSize, FrameCount);
    }

    private readonly List<nint> _remappings = [];

    public void Dispose()
    {
        foreach (nint views in _remappings)
            NativeMemory.Free((void*)views);
        _fill.Dispose();
        _completion.Dispose();
        _rx.Dispose();
        _tx.Dispose();
        NativeMemory.AlignedFree(_area);
    }
}
