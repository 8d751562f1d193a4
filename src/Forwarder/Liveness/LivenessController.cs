using Microsoft.Extensions.Logging;

namespace Forwarder.Liveness;

/// <summary>
/// Keeps the liveness device up exactly while the node should receive VIP traffic: once the workers run, and
/// neither draining nor withdrawn by the watchdog. Drains (SIGTERM, <c>forwarder drain</c>, <c>POST /drain</c>)
/// start here; the caller ticks <see cref="CheckDrain"/> until it says the drain is over, then stops as usual.
/// Called from the main thread, the watchdog's thread and the API's; never from a worker.
/// </summary>
public sealed class LivenessController
{
    private readonly object _gate = new();
    private readonly ILivenessSwitch _device;
    private readonly LivenessOptions _options;
    private readonly Func<long> _readPackets;
    private readonly Func<TimeSpan> _clock;
    private readonly ILogger _log;
    private readonly WorkerWatchdog _watchdog;
    private bool _serving;
    private bool _up;
    private bool _switchFailed;
    private DrainTimer? _drain;
    private string? _drainTrigger;
    private DrainSummary? _finished;

    /// <param name="readPackets">VIP packets received so far (the workers' RX total).</param>
    /// <param name="clock">Monotonic time.</param>
    public LivenessController(ILivenessSwitch device, LivenessOptions options, Func<long> readPackets, Func<TimeSpan> clock, ILogger log)
    {
        _device = device;
        _options = options;
        _readPackets = readPackets;
        _clock = clock;
        _log = log;
        _watchdog = new WorkerWatchdog(options.WatchdogStall, options.WatchdogRecovery);
    }

    public LivenessOptions Options => _options;

    /// <summary>Raised (on the requesting thread) when a drain starts, so that the main loop wakes.</summary>
    public event Action? DrainStarted;

    /// <summary>The workers run: the node can forward. Brings the device up unless a drain or the watchdog holds it down.</summary>
    public void Serving()
    {
        lock (_gate)
        {
            _serving = true;
            Apply("the workers run");
        }
    }

    /// <summary>Starts a drain: the device goes down first (BIRD withdraws), forwarding goes on. False when one was under way already (harmless).</summary>
    public bool RequestDrain(string trigger)
    {
        lock (_gate)
        {
            if (_drain is not null || _finished is not null)
                return false;
            _drain = new DrainTimer(_options.DrainQuiet, _options.DrainMax, _clock(), _readPackets());
            _drainTrigger = trigger;
            _log.DrainStarted(trigger, _options.DrainQuiet.TotalSeconds, _options.DrainMax.TotalSeconds);
            Apply($"draining ({trigger})");
        }
        DrainStarted?.Invoke();
        return true;
    }

    /// <summary>Null while no drain runs or it goes on; when it just ended, how it went (once).</summary>
    public DrainSummary? CheckDrain()
    {
        lock (_gate)
        {
            if (_drain is null)
                return null;
            TimeSpan now = _clock();
            if (_drain.Check(now, _readPackets()) is not { } end)
                return null;
            return Finish(now, end);
        }
    }

    /// <summary>Ends a drain under way early (an immediate stop); null when none ran.</summary>
    public DrainSummary? InterruptDrain()
    {
        lock (_gate)
            return _drain is null ? null : Finish(_clock(), DrainEnd.Interrupted);
    }

    /// <summary>The drain that ended, for the FINAL line; null when there was none.</summary>
    public DrainSummary? FinishedDrain
    {
        get { lock (_gate) return _finished; }
    }

    /// <summary>One watchdog round over every worker's reading (in queue order).</summary>
    public void Watch(ReadOnlySpan<WorkerProgress> workers)
    {
        lock (_gate)
        {
            if (!_watchdog.Check(_clock(), workers))
            {
                if (_switchFailed)
                    Apply("retrying");
                return;
            }
            if (_watchdog.Withdrawn)
            {
                int queue = workers[_watchdog.StalledWorker].Queue;
                _log.WorkerStalled(queue, _options.WatchdogStall.TotalMilliseconds, _watchdog.Stalls);
                Apply($"watchdog: the worker of queue {queue} stalled");
            }
            else
            {
                _log.WorkersRecovered(_options.WatchdogRecovery.TotalMilliseconds);
                Apply("watchdog: no worker stalled any more");
            }
        }
    }

    public LivenessReading Read()
    {
        lock (_gate)
        {
            return new LivenessReading(_device.Name, _up, _drain is not null, _watchdog.Stalls, _watchdog.Withdrawn,
                _drain is null ? null : Math.Round((_clock() - _drain.StartedAt).TotalSeconds, 3), _drain is null ? null : _drainTrigger);
        }
    }

    private DrainSummary Finish(TimeSpan now, DrainEnd end)
    {
        var summary = new DrainSummary(_drainTrigger!, Math.Round((now - _drain!.StartedAt).TotalSeconds, 3), end);
        _log.DrainEnded(summary.Seconds, end switch
        {
            DrainEnd.Quiet => $"no VIP packet for {_options.DrainQuiet.TotalSeconds} s",
            DrainEnd.Max => $"the maximum of {_options.DrainMax.TotalSeconds} s passed",
            _ => "interrupted by an immediate stop",
        });
        _finished = summary;
        _drain = null; // the device stays down: _finished holds it so
        return summary;
    }

    /// <summary>Sets the device to what the state says; a refusal is logged and retried on the next watchdog round.</summary>
    private void Apply(string why)
    {
        bool wanted = _serving && _drain is null && _finished is null && !_watchdog.Withdrawn;
        if (wanted == _up && !_switchFailed)
            return;
        try
        {
            _device.Set(wanted);
            _up = wanted;
            if (_switchFailed)
                why += " (after a failed attempt)";
            _switchFailed = false;
            _log.DeviceSwitched(_device.Name, wanted ? "up" : "down", why);
        }
        catch (InvalidOperationException e)
        {
            if (!_switchFailed)
                _log.DeviceSwitchFailed(_device.Name, wanted ? "up" : "down", e.Message);
            _switchFailed = true;
        }
    }
}
