using System.Diagnostics;

namespace Forwarder.DataPlane;

/// <summary>
/// How long an idle worker keeps spinning before it sleeps in poll(): a span of time, not a count of empty polls,
/// whose cost differs from one machine to the next.
///
/// After a frame the span is long (<see cref="WorkerOptions.IdleSpinMicroseconds"/>): it must outlast the gaps
/// between the kernel's deliveries under load. Copy-mode NAPI hands the socket up to 64 frames per poll, which at about
/// 1 Mpps is a poll's worth every 64 µs; a span shorter than that sleeps in every gap, and each sleep makes the
/// receiving CPU wake the worker (under a hypervisor an inter-processor interrupt). With 2,000 empty polls as the span
/// those wake-ups took about a seventh of the receiving CPU and the receive side ran 6–10% slower (bench/RESULTS.md,
/// "Per-packet cost and the receive side"). After a sleep that brought nothing the span is short
/// (<see cref="AfterQuietSleepMicroseconds"/>), so a worker without traffic wakes at its poll() timeout, serves its
/// idle work briefly and sleeps again, costing about what it did with a count of 2,000 empty polls.
///
/// The clock is read once every <see cref="PollsPerClockRead"/> empty polls, so a span ends within a microsecond or
/// two of its length.
/// </summary>
internal struct IdleSpin
{
    /// <summary>The span after a sleep that no frame ended.</summary>
    public const int AfterQuietSleepMicroseconds = 20;

    private const int PollsPerClockRead = 32;
    private readonly long _afterFrameTicks;
    private readonly long _afterQuietSleepTicks;
    private long _spanTicks;
    private long _started;
    private int _polls;

    /// <param name="microsecondsAfterFrame">The span after a frame; 0 = sleep at the first empty poll.</param>
    public IdleSpin(int microsecondsAfterFrame)
    {
        _afterFrameTicks = Ticks(microsecondsAfterFrame);
        _afterQuietSleepTicks = Math.Min(_afterFrameTicks, Ticks(AfterQuietSleepMicroseconds));
        _spanTicks = _afterFrameTicks;
    }

    /// <summary>A frame arrived: the next empty poll starts a long span.</summary>
    public void Restart()
    {
        _polls = 0;
        _spanTicks = _afterFrameTicks;
    }

    /// <summary>
    /// Counts one empty poll; true once the span has passed since the first empty poll of the run, and the worker sleeps.
    /// The next empty poll then starts a short span, unless a frame came first.
    /// </summary>
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
        {
            _polls = 0;
            _spanTicks = _afterQuietSleepTicks;
        }
        return spent;
    }

    private static long Ticks(int microseconds) => Stopwatch.Frequency * microseconds / 1_000_000;
}
