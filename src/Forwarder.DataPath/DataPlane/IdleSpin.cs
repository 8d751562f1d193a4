using System.Diagnostics;

namespace Forwarder.DataPlane;

/// <summary>
/// How long an idle worker keeps spinning before it sleeps in poll(): a span of time since its last frame, not a
/// count of empty polls, whose cost differs from one machine to the next. The span must outlast the gaps between
/// the kernel's deliveries under load: copy-mode NAPI hands the socket up to 64 frames per poll, and on a veth at
/// about 1 Mpps those polls come 40–70 µs apart. A span shorter than that gap (2,000 empty polls were about 38 µs
/// here) sleeps in every gap, and each sleep makes the receiving CPU wake the worker, which under a hypervisor is
/// an inter-processor interrupt: it cost that CPU a seventh of its time and the receive side 10% of its rate.
/// The clock is read once every <see cref="PollsPerClockRead"/> empty polls, so a span ends within a microsecond
/// or two of its length.
/// </summary>
internal struct IdleSpin
{
    private const int PollsPerClockRead = 32;
    private readonly long _spanTicks;
    private long _started;
    private int _polls;

    /// <param name="microseconds">The span; 0 = sleep at the first empty poll.</param>
    public IdleSpin(int microseconds) => _spanTicks = Stopwatch.Frequency * microseconds / 1_000_000;

    /// <summary>A frame arrived: the next empty poll starts a new span.</summary>
    public void Restart() => _polls = 0;

    /// <summary>Counts one empty poll; true once the span has passed since the first of the run (the next one starts a new span).</summary>
    public bool Spent()
    {
        if (_polls++ == 0)
        {
            _started = Stopwatch.GetTimestamp();
            return EndIf(_spanTicks == 0);
        }
        if (_polls % PollsPerClockRead != 0)
            return false;
        return EndIf(Stopwatch.GetTimestamp() - _started >= _spanTicks);
    }

    private bool EndIf(bool spent)
    {
        if (spent)
            _polls = 0;
        return spent;
    }
}
