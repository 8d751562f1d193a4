using System.Diagnostics;
using System.Runtime.Versioning;
using Forwarder.DataPlane;

namespace Forwarder.Tests.DataPlane;

/// <summary>
/// <see cref="IdleSpin"/> and the worker's use of it: an idle worker spins for a span of time after its last frame,
/// then sleeps in poll(); a frame starts the span again.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class IdleSpinTests
{
    [Fact]
    public void A_zero_span_is_spent_at_every_empty_poll()
    {
        var spin = new IdleSpin(0);
        for (int poll = 0; poll < 100; poll++)
            Assert.True(spin.Spent());
    }

    [Fact]
    public void A_long_span_is_not_spent_by_a_thousand_quick_polls()
    {
        var spin = new IdleSpin(1_000_000);
        for (int poll = 0; poll < 1000; poll++)
            Assert.False(spin.Spent());
    }

    [Fact]
    public void A_span_ends_once_its_time_has_passed_and_not_before()
    {
        var spin = new IdleSpin(2000);
        long start = Stopwatch.GetTimestamp();
        long deadline = start + 5 * Stopwatch.Frequency;
        bool spent = false;
        while (!spent && Stopwatch.GetTimestamp() < deadline)
            spent = spin.Spent();

        Assert.True(spent, "a 2 ms span did not end within 5 s");
        Assert.True(Stopwatch.GetElapsedTime(start).TotalMilliseconds >= 2, "the span ended before 2 ms");
        Assert.False(spin.Spent()); // the next empty poll starts a new span
    }

    [Fact]
    public void After_a_sleep_that_brought_nothing_the_span_is_short_until_a_frame_comes()
    {
        var spin = new IdleSpin(300_000);
        Assert.True(SpinUntilSpent(ref spin) >= 300, "the span after a frame ended before 300 ms");

        double quiet = SpinUntilSpent(ref spin); // no frame since the sleep
        Assert.InRange(quiet, IdleSpin.AfterQuietSleepMicroseconds / 1000.0, 150); // far below the long span, with room for a loaded machine

        spin.Restart(); // a frame
        for (int poll = 0; poll < 1000; poll++)
            Assert.False(spin.Spent());
    }

    /// <summary>Milliseconds of empty polls until the span is spent (at most 5 s).</summary>
    private static double SpinUntilSpent(ref IdleSpin spin)
    {
        long start = Stopwatch.GetTimestamp();
        long deadline = start + 5 * Stopwatch.Frequency;
        while (!spin.Spent())
            Assert.True(Stopwatch.GetTimestamp() < deadline, "a span did not end within 5 s");
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    [Fact]
    public void A_frame_starts_the_span_again()
    {
        var spin = new IdleSpin(1000);
        Thread.Sleep(5);
        Assert.False(spin.Spent()); // the run's first empty poll starts the span, whenever it comes
        Thread.Sleep(5);
        spin.Restart();
        for (int poll = 0; poll < 31; poll++)
            Assert.False(spin.Spent());
    }

    [Fact]
    public void A_worker_sleeps_at_once_with_no_span_and_not_within_a_long_one()
    {
        Assert.Equal(100, IdleWaitsAfter(new WorkerOptions { IdleSpinMicroseconds = 0 }, emptyPolls: 100));
        Assert.Equal(0, IdleWaitsAfter(new WorkerOptions { IdleSpinMicroseconds = 1_000_000 }, emptyPolls: 1000));
        Assert.Equal(0, IdleWaitsAfter(new WorkerOptions { IdleSpinMicroseconds = 0, IdleSleepMs = 0 }, emptyPolls: 100)); // never sleeps
    }

    [Fact]
    public void A_worker_told_to_stay_awake_does_not_sleep()
    {
        using var queue = new SimulatedQueue();
        var worker = Worker(queue, new WorkerOptions { IdleSpinMicroseconds = 0 });
        worker.StayAwake();
        for (int poll = 0; poll < 100; poll++)
            worker.RunOnce();
        Assert.Equal(0, worker.Counters.IdleWaits);
    }

    [Fact]
    public void Idle_polls_that_spin_and_sleep_allocate_nothing()
    {
        using var queue = new SimulatedQueue();
        var worker = Worker(queue, new WorkerOptions { IdleSpinMicroseconds = 50 }); // the simulated poll() returns at once
        for (int poll = 0; poll < 10_000; poll++)
            worker.RunOnce(); // compiled and settled before counting

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int poll = 0; poll < 1_000_000; poll++)
            worker.RunOnce();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.True(worker.Counters.IdleWaits > 0, "the loop never reached a sleep");
    }

    [Fact]
    public void The_default_span_outlasts_a_gap_between_copy_mode_deliveries()
    {
        Assert.InRange(new WorkerOptions().IdleSpinMicroseconds, 100, 1000);
    }

    private static long IdleWaitsAfter(WorkerOptions options, int emptyPolls)
    {
        using var queue = new SimulatedQueue();
        var worker = Worker(queue, options);
        queue.Receive(8);
        Assert.Equal(8, worker.RunOnce());
        for (int poll = 0; poll < emptyPolls; poll++)
            Assert.Equal(0, worker.RunOnce());
        return worker.Counters.IdleWaits;
    }

    private static Worker<L2Forward, SimulatedKernel> Worker(SimulatedQueue queue, WorkerOptions options) =>
        new(queue.Rings, new L2Forward(TestPacket.NextHopMac, TestPacket.OwnMac), queue.Kernel, options with { BatchSize = 64 });
}
