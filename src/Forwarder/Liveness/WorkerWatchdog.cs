namespace Forwarder.Liveness;

/// <summary>
/// Tells a stuck worker from an idle one, from readings taken every ~50 ms: a worker is stalled when its RX ring
/// holds frames and its progress counter did not move for the stall time (an idle worker's ring is empty). Any
/// stalled worker makes the node withdraw; it comes back once no worker was stalled for the recovery time.
/// Pure: the caller supplies the clock and the readings.
/// </summary>
public sealed class WorkerWatchdog(TimeSpan stall, TimeSpan recovery)
{
    private long[] _progress = [];
    private TimeSpan[] _movedAt = [];
    private TimeSpan? _clearSince;

    /// <summary>True from a stall until the recovery time passed without one.</summary>
    public bool Withdrawn { get; private set; }

    /// <summary>Stalls seen: each time the node went from serving to withdrawn.</summary>
    public long Stalls { get; private set; }

    /// <summary>The index of the first stalled worker at the last check; -1 for none.</summary>
    public int StalledWorker { get; private set; } = -1;

    /// <summary>Takes one reading per worker (always in the same order); returns true when <see cref="Withdrawn"/> changed.</summary>
    public bool Check(TimeSpan now, ReadOnlySpan<WorkerProgress> workers)
    {
        if (_progress.Length != workers.Length)
        {
            _progress = new long[workers.Length];
            _movedAt = new TimeSpan[workers.Length];
            for (int i = 0; i < workers.Length; i++)
            {
                _progress[i] = workers[i].Progress;
                _movedAt[i] = now;
            }
        }
        StalledWorker = -1;
        for (int i = 0; i < workers.Length; i++)
        {
            if (workers[i].Progress != _progress[i])
            {
                _progress[i] = workers[i].Progress;
                _movedAt[i] = now;
            }
            else if (workers[i].RingHoldsFrames && now - _movedAt[i] >= stall && StalledWorker < 0)
            {
                StalledWorker = i;
            }
        }
        if (StalledWorker >= 0)
        {
            _clearSince = null;
            if (Withdrawn)
                return false;
            Withdrawn = true;
            Stalls++;
            return true;
        }
        if (!Withdrawn)
            return false;
        _clearSince ??= now;
        if (now - _clearSince.Value < recovery)
            return false;
        Withdrawn = false;
        _clearSince = null;
        return true;
    }
}
