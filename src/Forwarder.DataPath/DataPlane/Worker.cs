using System.Runtime.CompilerServices;
using AfXdp;
using AfXdp.Rings;
using Forwarder.Packets;

namespace Forwarder.DataPlane;

/// <summary>
/// The loop of one queue, after libxdp's canonical forwarder:
/// complete TX → refill FILL → peek RX → process the batch → reserve TX → submit → release RX → wake TX if asked.
///
/// Frame ownership: every UMEM frame is in exactly one place — FILL, RX, this batch, TX, COMPLETION
/// or <see cref="FrameStack"/>. Frames arrive from RX, leave on TX (the same frame, rewritten in
/// place) or return to the stack when dropped, and come back from COMPLETION to the stack; the stack
/// refills FILL. Addresses are normalised to their chunk start when they return, because a frame
/// may go out from a shifted address (headers added in its headroom).
///
/// A batch that sends nothing (every frame dropped, nothing left on TX) gives its frames straight back to
/// FILL, not on the next iteration: under <see cref="ReceiveOnlyProcessor{TProcessor}"/> (the benchmarking
/// switch) that is every batch, and FILL never waits for the loop to come round.
///
/// The loop allocates nothing, locks nothing and throws nothing; it counts instead.
///
/// Hand-over (an upgrade, <see cref="IHandOverLoop"/>): a worker built with <see cref="WorkerStart.AwaitHandOver"/>
/// holds no frame and touches no ring until <see cref="TakeOver"/> gives it the stopped predecessor's free stack. The
/// invariant across it: <c>free (handed over) + FILL + RX + TX + COMPLETION + in flight = FrameCount</c>, where "in
/// flight" are frames the kernel took from TX and has not yet posted on COMPLETION. Ring indices cannot tell those
/// from free frames, which is why the free stack travels explicitly and nothing is inferred from the indices: the
/// successor finds every ring frame where the predecessor left it, and the in-flight ones arrive on its COMPLETION.
/// </summary>
public sealed unsafe class Worker<TProcessor, TKernel> : IHandOverLoop
    where TProcessor : struct, IBatchProcessor
    where TKernel : struct, IQueueKernel
{
    private readonly QueueRings _rings;
    private readonly FrameStack _free;
    private readonly PacketBatch _batch;
    private readonly uint _batchSize;
    private readonly ulong _chunkMask;
    private readonly int _maxTxWakeups;
    private readonly WorkerOptions _options;
    private TProcessor _processor;
    private TKernel _kernel;
    private IdleSpin _idleSpin;
    private volatile bool _stopping;
    private volatile bool _stayAwake;

    public Worker(QueueRings rings, TProcessor processor, TKernel kernel, WorkerOptions options)
        : this(rings, processor, kernel, options, WorkerStart.Fresh)
    {
    }

    /// <param name="start"><see cref="WorkerStart.Fresh"/>: every frame is free and FILL is filled now; <see cref="WorkerStart.AwaitHandOver"/>: the rings are another worker's until <see cref="TakeOver"/>.</param>
    public Worker(QueueRings rings, TProcessor processor, TKernel kernel, WorkerOptions options, WorkerStart start)
    {
        if (options.BatchSize is < 1 or > PacketBatch.MaxSize)
            throw new ArgumentOutOfRangeException(nameof(options), options.BatchSize, $"batch size must be 1–{PacketBatch.MaxSize}");
        _rings = rings;
        _processor = processor;
        _kernel = kernel;
        _options = options;
        _idleSpin = new IdleSpin(options.IdleSpinMicroseconds);
        _batchSize = (uint)options.BatchSize;
        _chunkMask = ~((ulong)rings.FrameSize - 1);
        // Copy-mode TX sends at most 32 descriptors per wakeup: enough wakeups to drain one batch, plus one.
        _maxTxWakeups = options.BatchSize / 32 + 2;
        _batch = new PacketBatch(rings.Area, rings.FrameSize);
        _free = new FrameStack((int)rings.FrameCount);
        Counters = new WorkerCounters();
        if (start == WorkerStart.AwaitHandOver)
            return;
        for (uint i = rings.FrameCount; i > 0; i--)
            _free.Push((ulong)(i - 1) * rings.FrameSize);
        Refill();
    }

    public WorkerCounters Counters { get; }

    /// <summary>Frames the worker holds on no ring (for conservation checks).</summary>
    public int FreeFrames => _free.Count;

    public ref TProcessor Processor => ref _processor;

    /// <summary>Runs until <see cref="Stop"/>.</summary>
    public void Run()
    {
        while (!_stopping)
            RunOnce();
    }

    public void Stop() => _stopping = true;

    /// <inheritdoc/>
    public void Resume()
    {
        _stayAwake = false;
        _stopping = false;
    }

    /// <inheritdoc/>
    public void StayAwake() => _stayAwake = true;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // compiled once, optimised, when prepared: no tier-up or OSR in the pause
    public ulong[] CopyFreeFrames() => _free.Held.ToArray();

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void TakeOver(ReadOnlySpan<ulong> freeFrames)
    {
        if (_free.Count != 0)
            throw new InvalidOperationException("this worker holds frames already: only one awaiting a hand-over can take one");
        ulong areaBytes = (ulong)_rings.FrameCount * _rings.FrameSize;
        var seen = new bool[_rings.FrameCount];
        foreach (ulong address in freeFrames)
        {
            if (address >= areaBytes || (address & ~_chunkMask) != 0)
                throw new ArgumentException($"handed-over frame 0x{address:x} is not a chunk start inside the UMEM of {_rings.FrameCount} frames of {_rings.FrameSize}");
            if (seen[address / _rings.FrameSize])
                throw new ArgumentException($"handed-over frame 0x{address:x} is given twice");
            seen[address / _rings.FrameSize] = true;
        }
        _rings.Fill.Resync();
        _rings.Completion.Resync();
        _rings.Rx.Resync();
        _rings.Tx.Resync();
        ulong onRings = (ulong)_rings.Fill.Outstanding + _rings.Rx.Unreleased + _rings.Tx.Outstanding + _rings.Completion.Unreleased;
        if (onRings + (ulong)freeFrames.Length > _rings.FrameCount)
            throw new ArgumentException($"{freeFrames.Length} handed-over frames and {onRings} on the rings exceed the UMEM's {_rings.FrameCount}: some frame would be given out twice");
        for (int i = freeFrames.Length - 1; i >= 0; i--)
            _free.Push(freeFrames[i]);
        Refill();
    }

    /// <summary>One iteration of the loop; returns the number of frames received.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int RunOnce()
    {
        CompleteTx();
        Refill();

        var rx = _rings.Rx;
        uint received = rx.Peek(_batchSize, out uint rxIndex);
        if (received == 0)
        {
            Idle();
            return 0;
        }
        _idleSpin.Restart();

        PacketBatch batch = _batch;
        long bytes = 0;
        for (uint i = 0; i < received; i++)
        {
            ref readonly XdpDesc desc = ref rx[rxIndex + i];
            batch.Address[i] = desc.Address;
            batch.Length[i] = desc.Length;
            bytes += desc.Length;
        }
        batch.Count = (int)received;
        WorkerCounters counters = Counters;
        counters.RxPackets += received;
        counters.RxBytes += bytes;
        counters.Batches++;

        _processor.Process(batch);

        uint sent = Transmit(batch);
        rx.Release(received);
        if (sent > 0 || _rings.Tx.Outstanding > 0)
            WakeTx();
        else
            Refill(); // nothing went out: the whole batch is free again, back to FILL at once
        return (int)received;
    }

    /// <summary>
    /// Moves the batch's transmit verdicts onto TX as far as there is room; every other frame is counted under
    /// its reason (<see cref="DropReason.TxRingFull"/> for a transmit verdict left over) and freed.
    /// </summary>
    private uint Transmit(PacketBatch batch)
    {
        int count = batch.Count;
        uint wanted = 0;
        for (int i = 0; i < count; i++)
            wanted += batch.Verdict[i] == DropReason.None ? 1u : 0u;

        var tx = _rings.Tx;
        uint room = wanted == 0 ? 0 : Math.Min(wanted, tx.FreeEntries(wanted));
        tx.Reserve(room, out uint txIndex);

        WorkerCounters counters = Counters;
        uint placed = 0;
        long bytes = 0;
        for (int i = 0; i < count; i++)
        {
            DropReason verdict = batch.Verdict[i];
            if (verdict == DropReason.None && placed < room)
            {
                ref XdpDesc desc = ref tx[txIndex + placed];
                desc.Address = batch.Address[i];
                desc.Length = batch.Length[i];
                desc.Options = 0;
                bytes += batch.Length[i];
                placed++;
                continue;
            }
            counters.Drops[(int)(verdict == DropReason.None ? DropReason.TxRingFull : verdict)]++;
            _free.Push(batch.Address[i] & _chunkMask);
        }
        if (placed > 0)
            tx.Submit(placed);
        counters.TxPackets += placed;
        counters.TxBytes += bytes;
        return placed;
    }

    /// <summary>Takes back the frames the kernel finished sending.</summary>
    private void CompleteTx()
    {
        var completion = _rings.Completion;
        uint done = completion.Peek(completion.Size, out uint index);
        if (done == 0)
            return;
        for (uint i = 0; i < done; i++)
            _free.Push(completion[index + i] & _chunkMask);
        completion.Release(done);
        Counters.Completions += done;
    }

    /// <summary>Gives every free frame to the kernel for receiving, as far as FILL has room.</summary>
    private void Refill()
    {
        int available = _free.Count;
        if (available == 0)
            return;
        var fill = _rings.Fill;
        uint n = Math.Min((uint)available, fill.FreeEntries((uint)available));
        if (n == 0)
            return;
        fill.Reserve(n, out uint index);
        for (uint i = 0; i < n; i++)
            fill[index + i] = _free.Pop();
        fill.Submit(n);
    }

    /// <summary>Wakes the kernel to transmit when the TX ring asks, retrying while it answers EAGAIN (budget spent, more to send).</summary>
    private void WakeTx()
    {
        if (!_rings.Tx.NeedsWakeup)
            return;
        WorkerCounters counters = Counters;
        for (int attempt = 0; attempt < _maxTxWakeups; attempt++)
        {
            counters.TxWakeups++;
            int error = _kernel.WakeTx();
            if (error == 0)
                return;
            if (error != Errnos.EAGAIN)
            {
                counters.TxWakeupErrors++;
                return;
            }
            counters.TxWakeupsAgain++;
        }
    }

    private void Idle()
    {
        WorkerCounters counters = Counters;
        counters.EmptyPolls++;
        _options.IdleWork?.WhileIdle();
        if (_options.WakeRxWhenEmpty || _rings.Fill.NeedsWakeup)
        {
            counters.RxWakeups++;
            _kernel.WakeRx();
        }
        if (_rings.Tx.Outstanding > 0)
        {
            WakeTx();
            return;
        }
        if (_options.IdleSleepMs > 0 && _idleSpin.Spent() && !_stayAwake)
        {
            counters.IdleWaits++;
            _kernel.WaitForRx(_options.IdleSleepMs);
        }
    }
}
