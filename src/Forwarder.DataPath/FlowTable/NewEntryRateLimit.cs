namespace Forwarder.FlowTable;

/// <summary>
/// How many new connections one worker's <see cref="ConnectionTable"/> remembers per second, as Katran's
/// per-CPU <c>MAX_CONN_RATE</c> bounds its LRU updates: a window opens at the first new connection after the
/// previous one is over and lasts <see cref="FlowClock.TicksPerSecond"/> ticks; within it the first
/// <see cref="MaxPerSecond"/> are remembered and the rest are forwarded by Maglev alone (stateless) and
/// counted in <see cref="Refused"/>. A flow refused is new again at its next packet, so it counts per packet.
/// Time is the batch's <see cref="FlowClock"/> reading, compared by unsigned difference (right across the
/// tick wrap); the owner worker's thread only, plain fields, nothing allocated or thrown.
/// </summary>
public sealed class NewEntryRateLimit
{
    private readonly long _max;
    /// <summary>False until the first new connection opens the first window, whatever the clock reads then.</summary>
    private bool _windowOpen;
    private uint _windowStart;
    private long _taken;
    private long _refused;

    /// <param name="maxPerSecond">New connections remembered per second at most; 0 = no limit.</param>
    public NewEntryRateLimit(long maxPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxPerSecond);
        MaxPerSecond = maxPerSecond;
        _max = maxPerSecond == 0 ? long.MaxValue : maxPerSecond;
    }

    /// <summary>The limit; 0 = none.</summary>
    public long MaxPerSecond { get; }

    /// <summary>New connections not remembered because the second's budget was spent (per packet: see the type's summary).</summary>
    public long Refused => _refused;

    /// <summary>
    /// Whether a new connection seen at <paramref name="now"/> may be remembered: true while the current
    /// second's budget lasts (taking one from it), else false and counted.
    /// </summary>
    public bool TryTake(uint now)
    {
        if (!_windowOpen || now - _windowStart >= FlowClock.TicksPerSecond)
        {
            _windowOpen = true;
            _windowStart = now;
            _taken = 0;
        }
        if (_taken >= _max)
        {
            _refused++;
            return false;
        }
        _taken++;
        return true;
    }
}
