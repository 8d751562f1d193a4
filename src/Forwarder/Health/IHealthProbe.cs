namespace Forwarder.Health;

/// <summary>Probes a backend once.</summary>
public interface IHealthProbe
{
    /// <summary>
    /// Probes <paramref name="target"/> once, within its check's timeout. Never throws: whatever goes
    /// wrong — refused, timed out, a bad answer, <paramref name="cancellationToken"/> cancelled — is a
    /// failed result whose reason says what happened.
    /// </summary>
    ValueTask<ProbeResult> ProbeAsync(HealthTarget target, CancellationToken cancellationToken);
}
