namespace Forwarder.Health;

/// <summary>
/// Probes one target for as long as it is monitored: one async loop on the thread pool, so a slow or
/// silent backend delays only its own probes and never the data path (which reads health only
/// through the snapshots the control plane publishes).
///
/// Timing: the first probe starts at a random point of the first interval, so that backends
/// monitored together spread their probes; each later probe starts one interval after the previous
/// one started, made up to <see cref="Jitter"/> shorter at random (never longer, so the worst-case
/// detection time of <see cref="Configuration.HealthCheckConfig"/> holds). A probe that takes the
/// whole interval is followed by the next at once.
///
/// A fault — a probe or anything else in the loop throwing — is handed to the monitor (logged and
/// counted), leaves the backend's state as it was, and restarts the loop after one interval.
/// </summary>
internal sealed class TargetProbeLoop
{
    /// <summary>The largest fraction by which a wait between two probes is shortened.</summary>
    public const double Jitter = 0.05;

    private readonly HealthMonitor _owner;
    private readonly IHealthProbe _probe;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();

    /// <param name="mark">The target's state handed over by an upgrade's predecessor; null: it starts healthy.</param>
    public TargetProbeLoop(HealthMonitor owner, HealthTarget target, IHealthProbe probe, TimeProvider time, HealthMark? mark = null)
    {
        _owner = owner;
        _probe = probe;
        _time = time;
        Target = target;
        Health = mark is null
            ? new BackendHealth(target.Check.Rise, target.Check.Fall, time.GetUtcNow())
            : new BackendHealth(target.Check.Rise, target.Check.Fall, time.GetUtcNow(), mark);
        Completion = Task.Run(RunAsync);
    }

    public HealthTarget Target { get; }

    public BackendHealth Health { get; }

    /// <summary>Ends once the loop has stopped; it never faults.</summary>
    public Task Completion { get; }

    /// <summary>Asks the loop to stop: a probe in flight is cancelled and its result is not recorded.</summary>
    public void Stop() => _stop.Cancel();

    private async Task RunAsync()
    {
        CancellationToken stop = _stop.Token;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await ProbeForeverAsync(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                Health.RecordFault();
                _owner.OnFault(Target, e);
                try
                {
                    await Task.Delay(Target.Check.Interval, _time, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    private async Task ProbeForeverAsync(CancellationToken stop)
    {
        TimeSpan interval = Target.Check.Interval;
        await Task.Delay(interval * Random.Shared.NextDouble(), _time, stop).ConfigureAwait(false);
        while (true)
        {
            long started = _time.GetTimestamp();
            ProbeResult result = await _probe.ProbeAsync(Target, stop).ConfigureAwait(false);
            stop.ThrowIfCancellationRequested();
            if (Health.Record(result, _time.GetUtcNow()))
                _owner.OnChanged(Target, Health.Status);
            TimeSpan wait = interval * (1 - Jitter * Random.Shared.NextDouble()) - _time.GetElapsedTime(started);
            if (wait > TimeSpan.Zero)
                await Task.Delay(wait, _time, stop).ConfigureAwait(false);
        }
    }
}
