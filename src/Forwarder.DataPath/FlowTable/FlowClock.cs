namespace Forwarder.FlowTable;

/// <summary>
/// The time a <see cref="ConnectionTable"/> counts in: milliseconds of the monotonic clock, truncated
/// to 32 bits (they wrap every 49.7 days; the table compares them by unsigned difference). Read once
/// per batch and passed to every table operation of that batch.
/// </summary>
public static class FlowClock
{
    public const uint TicksPerSecond = 1000;

    /// <summary>Longest idle timeout: 24 days, under the 2^31 ticks (24.8 days) the wrap-around arithmetic allows.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromDays(24);

    /// <summary>Now, in ticks.</summary>
    public static uint Now() => (uint)Environment.TickCount64;

    /// <summary>A duration in ticks, rounded down; the caller keeps it within [0, <see cref="MaxTimeout"/>].</summary>
    public static uint ToTicks(TimeSpan duration) => (uint)(duration.Ticks / TimeSpan.TicksPerMillisecond);
}
