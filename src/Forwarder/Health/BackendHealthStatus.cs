namespace Forwarder.Health;

/// <summary>One target's health as last recorded: an immutable snapshot, safe to read from any thread.</summary>
public sealed record BackendHealthStatus
{
    /// <summary>Whether the backend belongs in its VIPs' tables.</summary>
    public required bool Healthy { get; init; }

    /// <summary>Successful probes in a row (0 after a failure).</summary>
    public int ConsecutiveSuccesses { get; init; }

    /// <summary>Failed probes in a row (0 after a success).</summary>
    public int ConsecutiveFailures { get; init; }

    /// <summary>Probes recorded since the target was first monitored.</summary>
    public long Probes { get; init; }

    /// <summary>Failed probes among <see cref="Probes"/>.</summary>
    public long Failures { get; init; }

    /// <summary>Times the checker itself failed on this target (a probe that threw); they say nothing about the backend.</summary>
    public long Faults { get; init; }

    /// <summary>When <see cref="Healthy"/> last changed, or when monitoring started.</summary>
    public required DateTimeOffset LastChange { get; init; }

    /// <summary>Why <see cref="Healthy"/> last changed, e.g. <c>2 failures in a row: connect: Connection refused</c>.</summary>
    public string LastChangeReason { get; init; } = "monitoring started";

    /// <summary>The reason of the last failed probe; <c>null</c> before any failure.</summary>
    public string? LastFailureReason { get; init; }

    /// <summary>When the last probe ended; <c>null</c> before the first.</summary>
    public DateTimeOffset? LastProbe { get; init; }

    /// <summary>How long the last probe took.</summary>
    public TimeSpan LastLatency { get; init; }
}
