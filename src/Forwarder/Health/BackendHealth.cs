namespace Forwarder.Health;

/// <summary>
/// The health state machine of one target.
///
/// A target starts healthy, so that a fresh start (or a backend just added) forwards at once rather
/// than dropping traffic until it has been probed. Its first probe decides: a failure takes it out at
/// once — a backend that is down from the start costs one probe, not <c>fall</c> — and a success
/// confirms it. From then on <c>fall</c> failures in a row take a healthy backend out and <c>rise</c>
/// successes in a row bring it back; any result of the other kind starts the count again.
///
/// Results are recorded by one writer (the target's probe loop); each one publishes a new immutable
/// <see cref="BackendHealthStatus"/>, so readers on other threads never see half an update.
/// </summary>
public sealed class BackendHealth
{
    private volatile BackendHealthStatus _status;

    public BackendHealth(int rise, int fall, DateTimeOffset now)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rise, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(fall, 1);
        Rise = rise;
        Fall = fall;
        _status = new BackendHealthStatus { Healthy = true, LastChange = now };
    }

    /// <summary>A target whose state an upgrade's predecessor handed over (<paramref name="mark"/>): it goes on from there.</summary>
    public BackendHealth(int rise, int fall, DateTimeOffset now, HealthMark mark)
        : this(rise, fall, now)
    {
        _status = new BackendHealthStatus
        {
            Healthy = mark.Healthy,
            ConsecutiveSuccesses = mark.ConsecutiveSuccesses,
            ConsecutiveFailures = mark.ConsecutiveFailures,
            Probes = 1, // probed before: fall applies, not the first probe's rule
            LastChange = now,
            LastChangeReason = $"{(mark.Healthy ? "up" : "down")} before the upgrade",
        };
    }

    public int Rise { get; }

    public int Fall { get; }

    public BackendHealthStatus Status => _status;

    /// <summary>Records one probe's result; <c>true</c> when it changed <see cref="BackendHealthStatus.Healthy"/>.</summary>
    public bool Record(ProbeResult result, DateTimeOffset at)
    {
        BackendHealthStatus before = _status;
        BackendHealthStatus next = before with
        {
            Probes = before.Probes + 1,
            Failures = before.Failures + (result.Success ? 0 : 1),
            ConsecutiveSuccesses = result.Success ? before.ConsecutiveSuccesses + 1 : 0,
            ConsecutiveFailures = result.Success ? 0 : before.ConsecutiveFailures + 1,
            LastFailureReason = result.Success ? before.LastFailureReason : result.Reason,
            LastProbe = at,
            LastLatency = result.Latency,
        };
        int fall = before.Probes == 0 ? 1 : Fall;
        bool changed = before.Healthy
            ? next.ConsecutiveFailures >= fall
            : next.ConsecutiveSuccesses >= Rise;
        if (changed)
        {
            next = next with
            {
                Healthy = !before.Healthy,
                LastChange = at,
                LastChangeReason = before.Healthy
                    ? $"{Plural(next.ConsecutiveFailures, "failure")} in a row: {result.Reason}"
                    : $"{Plural(next.ConsecutiveSuccesses, "success")} in a row: {result.Reason}",
            };
        }
        _status = next;
        return changed;
    }

    /// <summary>Counts a fault of the checker itself; the backend's state does not change.</summary>
    public void RecordFault() => _status = _status with { Faults = _status.Faults + 1 };

    private static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}{(noun.EndsWith('s') ? "es" : "s")}";
}
