namespace Forwarder.Health;

/// <summary>The outcome of one probe: whether the backend answered as required, why not, and how long it took.</summary>
public readonly record struct ProbeResult(bool Success, string Reason, TimeSpan Latency)
{
    public static ProbeResult Passed(string reason, TimeSpan latency) => new(true, reason, latency);

    public static ProbeResult Failed(string reason, TimeSpan latency) => new(false, reason, latency);
}
