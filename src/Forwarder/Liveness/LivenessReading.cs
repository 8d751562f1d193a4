namespace Forwarder.Liveness;

/// <summary>The liveness device's state at an instant, for status and metrics.</summary>
/// <param name="DrainSeconds">Seconds since the drain started; null while not draining.</param>
/// <param name="DrainTrigger">What started the drain (SIGTERM, POST /drain); null while not draining.</param>
public sealed record LivenessReading(string Device, bool DeviceUp, bool Draining, long WatchdogStalls, bool WatchdogWithdrawn,
    double? DrainSeconds, string? DrainTrigger);
