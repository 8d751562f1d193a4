namespace Forwarder.Liveness;

/// <summary>
/// Decides when a drain is over from readings of the VIP packets received so far (the workers' RX count): once
/// the count stayed the same for the quiet time, or once the maximum passed. Pure: the caller supplies the clock.
/// </summary>
public sealed class DrainTimer(TimeSpan quiet, TimeSpan max, TimeSpan startedAt, long packetsAtStart)
{
    private long _lastPackets = packetsAtStart;
    private TimeSpan _lastArrival = startedAt;

    public TimeSpan StartedAt { get; } = startedAt;

    /// <summary>Null while the drain goes on; otherwise why it ended.</summary>
    public DrainEnd? Check(TimeSpan now, long packets)
    {
        if (packets != _lastPackets)
        {
            _lastPackets = packets;
            _lastArrival = now;
        }
        if (now - _lastArrival >= quiet)
            return DrainEnd.Quiet;
        if (now - StartedAt >= max)
            return DrainEnd.Max;
        return null;
    }
}
