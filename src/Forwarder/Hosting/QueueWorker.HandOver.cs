using AfXdp;
using Forwarder.DataPlane;

namespace Forwarder.Hosting;

/// <summary>One queue's part of an upgrade: its worker stops at a batch boundary and gives its state, or takes one.</summary>
public sealed partial class QueueWorker
{
    private IHandOverLoop HandOverLoop => (IHandOverLoop)_worker;

    /// <summary>Tells the worker to stop at its next batch boundary, without waiting (<see cref="WaitStopped"/> waits).</summary>
    public void RequestStop() => _worker.Stop();

    /// <summary>When an upgrade's successor's worker thread woke at the open gate (<see cref="System.Diagnostics.Stopwatch"/> ticks; 0 before).</summary>
    public long WokenAt { get; private set; }

    /// <summary>Set while the worker's loop runs; cleared as its loop returns (at a batch boundary), before its thread ends.</summary>
    private volatile bool _running;

    /// <summary>
    /// Waits, spinning, until the worker's loop has returned after <see cref="RequestStop"/>: a stopped loop is all a
    /// hand-over needs, not the thread's end (which <see cref="StopWorker"/> waits for). False when it did not within <paramref name="timeout"/>.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public bool WaitStopped(TimeSpan timeout)
    {
        long deadline = System.Diagnostics.Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
        var spin = new SpinWait();
        while (_running)
        {
            if (System.Diagnostics.Stopwatch.GetTimestamp() > deadline)
                return false;
            spin.SpinOnce(sleep1Threshold: -1);
        }
        return true;
    }

    /// <summary>Compiles the worker's code and this queue's part of the hand-over (the predecessor's side; the successor's does it as its thread starts).</summary>
    public void PrepareHandOver()
    {
        WaitStopped(TimeSpan.Zero); // compiled now: it spins in the pause
        HotPathWarmUp.Prepare(_worker.GetType());
        HotPathWarmUp.Prepare(typeof(QueueWorker));
        HotPathWarmUp.Prepare(typeof(WorkerCounterValues));
    }

    /// <summary>
    /// Maps every page of the queue's frames into this process by reading one byte of each (the predecessor writes them
    /// meanwhile; reading disturbs nothing), so that the first batches after the take-over take no page fault per frame.
    /// </summary>
    private unsafe void TouchFrames()
    {
        byte* area = _umem.Area;
        ulong page = _umem.UsesHugePages ? 2UL << 20 : 4096;
        int sum = 0;
        for (ulong offset = 0; offset < _umem.AreaBytes; offset += page)
            sum += Volatile.Read(ref area[offset]);
        GC.KeepAlive(sum);
    }

    /// <summary>Keeps the worker from sleeping when idle until it is stopped or resumed (see <see cref="IHandOverLoop.StayAwake"/>).</summary>
    public void StayAwake() => HandOverLoop.StayAwake();

    /// <summary>The stopped worker's free frames and counters (<see cref="StopWorker"/> first).</summary>
    public QueueHandOver ReadHandOver() => new(HandOverLoop.CopyFreeFrames(), WorkerCounterValues.Read(Counters));

    /// <summary>Starts the stopped worker again, where it was (an upgrade that was rolled back).</summary>
    public void Resume(string interfaceName)
    {
        HandOverLoop.Resume();
        Start(interfaceName);
    }

    /// <summary>
    /// For an upgrade's successor: compiles the worker's code and starts its thread, pinned to its core, asleep at
    /// <paramref name="gate"/> until it may run (after <see cref="TakeOver"/>).
    /// </summary>
    public void StartAwaitingHandOver(string interfaceName, HandOverGate gate)
    {
        PrepareHandOver();
        HotPathWarmUp.Prepare(typeof(HandOverGate));
        TouchFrames();
        HandOverLoop.TakeOver([]); // runs the take-over's code once, touching nothing: no frame to take, none to give FILL
        _running = true;
        _thread = new Thread(() =>
        {
            try
            {
                CpuAffinity.PinCurrentThread(Assignment.Core);
                bool open = gate.WaitUntilOpen();
                WokenAt = System.Diagnostics.Stopwatch.GetTimestamp();
                if (open)
                    _worker.Run();
            }
            catch (Exception e)
            {
                Failure = e;
            }
            finally
            {
                _running = false;
            }
        })
        {
            Name = $"xdp {interfaceName} q{Assignment.Queue}",
            IsBackground = true,
        };
        _thread.Start();
    }

    /// <summary>Takes the predecessor's free frames (see <see cref="IHandOverLoop.TakeOver"/>) and counters; the worker is started after.</summary>
    public void TakeOver(QueueHandOver state)
    {
        WorkerCounterValues.Write(state.Counters, Counters);
        HandOverLoop.TakeOver(state.FreeFrames);
    }
}
