using System.Runtime.Versioning;
using Forwarder.Liveness;

namespace Forwarder.Tests.Liveness;

/// <summary>The watchdog's decision from readings every 50 ms on a fake clock: a stuck worker withdraws the node, an idle one does not.</summary>
[SupportedOSPlatform("linux")]
public sealed class WorkerWatchdogTests
{
    private static readonly TimeSpan Stall = TimeSpan.FromMilliseconds(200), Recovery = TimeSpan.FromSeconds(1);
    private readonly FakeClock _clock = new();
    private readonly WorkerWatchdog _watchdog = new(Stall, Recovery);

    /// <summary>Readings every 50 ms for <paramref name="milliseconds"/>; worker i's progress comes from <paramref name="reading"/>(i, round).</summary>
    private int Run(double milliseconds, Func<int, int, WorkerProgress> reading, int workers = 2)
    {
        int changes = 0;
        for (int round = 0; round * 50 < milliseconds; round++)
        {
            _clock.AdvanceMs(50);
            WorkerProgress[] readings = Enumerable.Range(0, workers).Select(i => reading(i, round)).ToArray();
            if (_watchdog.Check(_clock.Now, readings))
                changes++;
        }
        return changes;
    }

    private long _progress = 1_000; // apart from the fixed readings of stuck workers

    private WorkerProgress Moving(bool ringHoldsFrames = true) => new(++_progress, ringHoldsFrames);

    [Fact]
    public void Workers_that_progress_with_full_rings_are_never_stalled()
    {
        Assert.Equal(0, Run(5_000, (_, _) => Moving()));
        Assert.False(_watchdog.Withdrawn);
        Assert.Equal(0, _watchdog.Stalls);
    }

    [Fact]
    public void An_idle_worker_with_an_empty_ring_is_not_stalled_however_long_it_sleeps()
    {
        Assert.Equal(0, Run(5_000, (i, _) => i == 0 ? new WorkerProgress(7, RingHoldsFrames: false) : Moving()));
        Assert.False(_watchdog.Withdrawn);
    }

    [Fact]
    public void A_worker_stuck_with_frames_in_its_ring_withdraws_after_the_stall_time_and_is_counted_once()
    {
        Run(500, (_, _) => Moving());
        TimeSpan stuckSince = _clock.Now;
        int changes = 0;
        TimeSpan? withdrawnAt = null;
        for (int round = 0; round < 40; round++)
        {
            _clock.AdvanceMs(50);
            if (_watchdog.Check(_clock.Now, [Moving(), new WorkerProgress(42, RingHoldsFrames: true)]))
            {
                changes++;
                withdrawnAt ??= _clock.Now;
            }
        }

        Assert.Equal(1, changes);
        Assert.True(_watchdog.Withdrawn);
        Assert.Equal(1, _watchdog.Stalls);
        Assert.Equal(1, _watchdog.StalledWorker);
        // The last move was seen at stuckSince + 50 ms (the first round reading 42); withdrawn 200 ms after it, not before.
        Assert.Equal(stuckSince + TimeSpan.FromMilliseconds(250), withdrawnAt);
    }

    [Fact]
    public void A_pause_shorter_than_the_stall_time_does_not_withdraw()
    {
        Assert.Equal(0, Run(3_000, (i, round) => i == 1 ? new WorkerProgress(round / 4, RingHoldsFrames: true) : Moving())); // moves every 200 ms
        Assert.False(_watchdog.Withdrawn);
    }

    [Fact]
    public void The_node_comes_back_after_the_recovery_time_without_a_stall_and_not_before()
    {
        Run(500, (_, _) => new WorkerProgress(1, RingHoldsFrames: true));
        Assert.True(_watchdog.Withdrawn);

        int changes = Run(950, (_, _) => Moving());
        Assert.Equal(0, changes);
        Assert.True(_watchdog.Withdrawn);
        Assert.Equal(1, Run(100, (_, _) => Moving()));
        Assert.False(_watchdog.Withdrawn);
        Assert.Equal(1, _watchdog.Stalls);
    }

    [Fact]
    public void A_stall_during_recovery_starts_the_recovery_time_again_without_counting_a_new_stall()
    {
        Run(500, (_, _) => new WorkerProgress(1, true));
        Run(800, (_, _) => Moving());
        Run(300, (_, _) => new WorkerProgress(2, true)); // stuck again before recovery completed
        Assert.True(_watchdog.Withdrawn);
        Assert.Equal(0, Run(900, (_, _) => Moving()));
        Assert.True(_watchdog.Withdrawn);
        Assert.Equal(1, _watchdog.Stalls);
        Assert.Equal(1, Run(200, (_, _) => Moving()));
    }

    [Fact]
    public void A_second_stall_after_recovery_is_counted_again()
    {
        Run(500, (_, _) => new WorkerProgress(1, true));
        Run(1_200, (_, _) => Moving());
        Assert.False(_watchdog.Withdrawn);
        Run(500, (_, _) => new WorkerProgress(3, true));
        Assert.True(_watchdog.Withdrawn);
        Assert.Equal(2, _watchdog.Stalls);
    }
}
