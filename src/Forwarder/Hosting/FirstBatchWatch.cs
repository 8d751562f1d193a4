namespace Forwarder.Hosting;

/// <summary>
/// Start-up's last phase: on a thread of its own, waits (polling the workers' counters every millisecond) for the
/// first frame a worker transmits, marks <see cref="StartupPhase.FirstBatchForwarded"/>, and then runs what start-up
/// deferred so as not to compete with it (health checks, the control API). When nothing is forwarded within the
/// limit (no traffic yet), the deferred work runs all the same. Disposing before that skips it.
/// </summary>
public sealed class FirstBatchWatch : IDisposable
{
    private readonly Func<long> _forwarded;
    private readonly TimeSpan _limit;
    private readonly Action<bool> _then;
    private readonly ManualResetEventSlim _stop = new();
    private readonly ManualResetEventSlim _done = new();
    private readonly Thread _thread;
    private readonly long _before;

    private FirstBatchWatch(Func<long> forwarded, TimeSpan limit, Action<bool> then)
    {
        _forwarded = forwarded;
        _before = forwarded(); // read here, not on the watch's thread: a frame forwarded before that thread runs still counts
        _limit = limit;
        _then = then;
        _thread = new Thread(Run) { Name = "first batch watch", IsBackground = true };
    }

    /// <param name="forwarded">Frames the workers transmitted so far (read from another thread).</param>
    /// <param name="then">Runs once on the watch's thread, given whether a batch was forwarded (false: the limit passed first).</param>
    public static FirstBatchWatch Start(Func<long> forwarded, TimeSpan limit, Action<bool> then)
    {
        var watch = new FirstBatchWatch(forwarded, limit, then);
        watch._thread.Start();
        return watch;
    }

    /// <summary>Waits until the deferred work has run (or the watch was disposed), at most <paramref name="timeout"/>.</summary>
    public bool WaitDone(TimeSpan timeout) => _done.Wait(timeout);

    private void Run()
    {
        try
        {
            var waited = System.Diagnostics.Stopwatch.StartNew();
            bool forwarded = false;
            while (!(forwarded = _forwarded() != _before) && waited.Elapsed < _limit)
            {
                if (_stop.Wait(1))
                    return;
            }
            if (forwarded)
                StartupTimeline.Mark(StartupPhase.FirstBatchForwarded);
            if (!_stop.IsSet)
                _then(forwarded);
        }
        finally
        {
            _done.Set();
        }
    }

    public void Dispose()
    {
        _stop.Set();
        _thread.Join(TimeSpan.FromSeconds(10));
    }
}
