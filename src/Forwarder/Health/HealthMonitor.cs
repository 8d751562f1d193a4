using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Forwarder.Health;

/// <summary>
/// Probes every target concurrently — one loop each (see <see cref="TargetProbeLoop"/>) — and keeps
/// each one's health (see <see cref="BackendHealth"/>). It knows nothing of VIPs or tables: whoever
/// owns it turns <see cref="Changed"/> into backends leaving or rejoining their VIPs' tables, and
/// <see cref="Snapshot"/> into what operators see (<see cref="VipHealth"/>).
///
/// <see cref="Update"/> reconfigures without a pause: targets in both the old and the new set keep
/// their loop and their state, removed ones stop, new ones start healthy. A target is its backend,
/// port and whole check, so a check whose settings change is a new target.
///
/// Faults of the checker itself — a probe that throws, a <see cref="Changed"/> handler that throws —
/// are logged, counted in <see cref="Faults"/>, and checking goes on.
/// </summary>
public sealed class HealthMonitor : IAsyncDisposable
{
    /// <summary>How long <see cref="DisposeAsync"/> waits for the loops to end (probes are cancelled, so they end at once).</summary>
    public static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(2);

    private readonly object _gate = new();
    private readonly Dictionary<HealthTarget, TargetProbeLoop> _loops = [];
    private readonly List<Task> _stopping = [];
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly IHealthProbe _probe;
    private long _faults;
    private Dictionary<string, HealthMark> _handedOver = [];
    private bool _disposed;

    /// <param name="probe">How targets are probed; by default <see cref="ProbeByKind"/>.</param>
    public HealthMonitor(ILogger? logger = null, TimeProvider? timeProvider = null, IHealthProbe? probe = null)
    {
        _logger = logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _probe = probe ?? new ProbeByKind(_time);
    }

    /// <summary>
    /// A target went down or came back up. Raised on that target's probing task, outside any lock of the
    /// monitor; handlers must be quick (they delay that target's next probe). A handler may still see a
    /// change of a target that <see cref="Update"/> removed a moment before, and should ignore targets it
    /// does not know.
    /// </summary>
    public event HealthChangedHandler? Changed;

    /// <summary>Faults of the checker itself since the start, over all targets.</summary>
    public long Faults => Interlocked.Read(ref _faults);

    /// <summary>The health of every monitored target, as of now.</summary>
    public IReadOnlyDictionary<HealthTarget, BackendHealthStatus> Snapshot()
    {
        lock (_gate)
            return _loops.ToDictionary(pair => pair.Key, pair => pair.Value.Health.Status);
    }

    /// <summary>
    /// The state an upgrade's predecessor handed over, by target (<see cref="HealthTarget.ToString"/>): each such target,
    /// once monitored, starts from its mark instead of healthy. Called before the first <see cref="Update"/>.
    /// </summary>
    public void Restore(IReadOnlyDictionary<string, HealthMark> marks)
    {
        lock (_gate)
            _handedOver = new Dictionary<string, HealthMark>(marks, StringComparer.Ordinal);
    }

    /// <summary>Monitors exactly <paramref name="targets"/> from now on (duplicates count once).</summary>
    public void Update(IEnumerable<HealthTarget> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        HashSet<HealthTarget> wanted = [.. targets];
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _stopping.RemoveAll(task => task.IsCompleted);
            foreach (TargetProbeLoop loop in _loops.Values.Where(loop => !wanted.Contains(loop.Target)).ToArray())
            {
                loop.Stop();
                _loops.Remove(loop.Target);
                _stopping.Add(loop.Completion);
            }
            foreach (HealthTarget target in wanted.Where(target => !_loops.ContainsKey(target)))
                _loops.Add(target, new TargetProbeLoop(this, target, _probe, _time, _handedOver.Remove(target.ToString(), out HealthMark? mark) ? mark : null));
        }
    }

    /// <summary>Stops every loop and waits for them, at most <see cref="StopTimeout"/>. Later calls do nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        Task[] loops;
        lock (_gate)
        {
            if (_disposed)
                return;
            _disposed = true;
            foreach (TargetProbeLoop loop in _loops.Values)
            {
                loop.Stop();
                _stopping.Add(loop.Completion);
            }
            _loops.Clear();
            loops = [.. _stopping];
            _stopping.Clear();
        }
        try
        {
            await Task.WhenAll(loops).WaitAsync(StopTimeout, _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _logger.StopTimedOut(loops.Count(task => !task.IsCompleted), StopTimeout.TotalMilliseconds);
        }
    }

    internal void OnChanged(HealthTarget target, BackendHealthStatus status)
    {
        if (status.Healthy)
            _logger.BackendUp(target, status.LastChangeReason);
        else
            _logger.BackendDown(target, status.LastChangeReason);
        if (Changed is not { } changed)
            return;
        // Each handler on its own, so that one that throws neither stops the others nor the probing.
        foreach (HealthChangedHandler handler in changed.GetInvocationList().Cast<HealthChangedHandler>())
        {
            try
            {
                handler(target, status.Healthy, status.LastChangeReason);
            }
            catch (Exception e)
            {
                Interlocked.Increment(ref _faults);
                _logger.HandlerFaulted(e, target);
            }
        }
    }

    internal void OnFault(HealthTarget target, Exception exception)
    {
        Interlocked.Increment(ref _faults);
        _logger.ProbeLoopFaulted(exception, target, target.Check.Interval.TotalMilliseconds);
    }
}
