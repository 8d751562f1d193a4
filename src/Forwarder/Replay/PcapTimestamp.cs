namespace Forwarder.Replay;

/// <summary>When a frame was captured: seconds since the Unix epoch and nanoseconds (always below 10⁹).</summary>
public readonly record struct PcapTimestamp(long Seconds, uint Nanoseconds)
{
    private const ulong NanosecondsPerSecond = 1_000_000_000;

    /// <summary>
    /// <paramref name="fraction"/> counts units of 1/<paramref name="unitsPerSecond"/> of a second; a fraction of a
    /// second or more (some writers produce them) carries into the seconds.
    /// </summary>
    public static PcapTimestamp FromFraction(long seconds, ulong fraction, ulong unitsPerSecond)
    {
        ulong whole = fraction / unitsPerSecond;
        ulong rest = fraction % unitsPerSecond;
        ulong nanoseconds = (ulong)((UInt128)rest * NanosecondsPerSecond / unitsPerSecond);
        return new PcapTimestamp(seconds + (long)whole, (uint)nanoseconds);
    }

    public override string ToString() => $"{Seconds}.{Nanoseconds:D9}";
}
