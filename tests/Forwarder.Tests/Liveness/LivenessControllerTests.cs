using System.Runtime.Versioning;
using Forwarder.Liveness;
using Microsoft.Extensions.Logging.Abstractions;

namespace Forwarder.Tests.Liveness;

/// <summary>
/// The device's state machine: down until the workers run, down for a drain (and for good after it), down while the
/// watchdog sees a stalled worker, and a refused switch retried rather than fatal.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class LivenessControllerTests
{
    private readonly FakeClock _clock = new();
    private readonly FakeSwitch _device = new();
    private long _packets;
    private readonly LivenessController _controller;

    public LivenessControllerTests()
    {
        var options = new LivenessOptions { DeviceName = "fwd0", DrainQuiet = TimeSpan.FromSeconds(2), DrainMax = TimeSpan.FromSeconds(10) };
        _controller = new LivenessController(_device, options, () => _packets, () => _clock.Now, NullLogger.Instance);
    }

    private static readonly WorkerProgress[] Stuck = [new(5, RingHoldsFrames: true)];

    private void Watch(int rounds, Func<WorkerProgress[]> readings)
    {
        for (int i = 0; i < rounds; i++)
        {
            _clock.AdvanceMs(50);
            _controller.Watch(readings());
        }
    }

    private long _progress = 1_000; // apart from the fixed readings of stuck workers

    private WorkerProgress[] Progressing() => [new(++_progress, RingHoldsFrames: true)];

    [Fact]
    public void The_device_stays_down_until_the_workers_run()
    {
        Watch(10, Progressing);
        Assert.Empty(_device.Switches);
        Assert.False(_controller.Read().DeviceUp);

        _controller.Serving();

        Assert.Equal([true], _device.Switches);
        Assert.True(_controller.Read().DeviceUp);
    }

    [Fact]
    public void A_drain_takes_the_device_down_at_once_and_ends_when_the_vips_are_quiet()
    {
        _controller.Serving();
        int started = 0;
        _controller.DrainStarted += () => started++;

        Assert.True(_controller.RequestDrain("SIGTERM"));

        Assert.Equal([true, false], _device.Switches);
        Assert.Equal(1, started);
        LivenessReading reading = _controller.Read();
        Assert.True(reading.Draining);
        Assert.Equal("SIGTERM", reading.DrainTrigger);
        _clock.Advance(TimeSpan.FromSeconds(1.5));
        _packets += 10; // still arriving
        Assert.Null(_controller.CheckDrain());
        _clock.Advance(TimeSpan.FromSeconds(1.9));
        Assert.Null(_controller.CheckDrain());
        _clock.Advance(TimeSpan.FromSeconds(0.1));
        DrainSummary? ended = _controller.CheckDrain();

        Assert.Equal(new DrainSummary("SIGTERM", 3.5, DrainEnd.Quiet), ended);
        Assert.Equal("quiet", ended!.EndedName);
        Assert.Equal(ended, _controller.FinishedDrain);
        Assert.Null(_controller.CheckDrain()); // reported once
    }

    [Fact]
    public void A_second_drain_request_changes_nothing()
    {
        _controller.Serving();
        Assert.True(_controller.RequestDrain("POST /drain"));
        _clock.Advance(TimeSpan.FromSeconds(1));

        Assert.False(_controller.RequestDrain("SIGTERM"));

        Assert.Equal([true, false], _device.Switches);
        Assert.Equal("POST /drain", _controller.Read().DrainTrigger);
        Assert.Equal(1.0, _controller.Read().DrainSeconds);
    }

    [Fact]
    public void Busy_vips_end_the_drain_at_the_maximum()
    {
        _controller.Serving();
        _controller.RequestDrain("SIGTERM");
        DrainSummary? ended = null;
        for (int i = 0; i < 1000 && ended is null; i++)
        {
            _clock.AdvanceMs(50);
            _packets++;
            ended = _controller.CheckDrain();
        }

        Assert.Equal(DrainEnd.Max, ended?.Ended);
        Assert.Equal(10.0, ended!.Seconds);
    }

    [Fact]
    public void An_immediate_stop_interrupts_a_drain_and_says_so()
    {
        _controller.Serving();
        Assert.Null(_controller.InterruptDrain());
        _controller.RequestDrain("SIGTERM");
        _clock.Advance(TimeSpan.FromSeconds(0.5));

        Assert.Equal(new DrainSummary("SIGTERM", 0.5, DrainEnd.Interrupted), _controller.InterruptDrain());
    }

    [Fact]
    public void The_watchdog_withdraws_while_a_worker_is_stalled_and_restores_after_the_recovery_time()
    {
        _controller.Serving();

        Watch(10, () => Stuck);
        Assert.Equal([true, false], _device.Switches);
        Assert.Equal(1, _controller.Read().WatchdogStalls);
        Assert.True(_controller.Read().WatchdogWithdrawn);

        Watch(19, Progressing);
        Assert.False(_device.IsUp);
        Watch(2, Progressing);
        Assert.Equal([true, false, true], _device.Switches);
        Assert.False(_controller.Read().WatchdogWithdrawn);
    }

    [Fact]
    public void Recovery_from_a_stall_during_a_drain_keeps_the_device_down()
    {
        _controller.Serving();
        Watch(10, () => Stuck);
        _controller.RequestDrain("SIGTERM");
        Watch(40, Progressing);

        Assert.Equal([true, false], _device.Switches);
        Assert.False(_controller.Read().DeviceUp);
    }

    [Fact]
    public void A_refused_switch_is_retried_on_the_next_watchdog_round_and_never_thrown()
    {
        _device.Refuse = true;
        _controller.Serving();
        Assert.Empty(_device.Switches);
        Assert.False(_controller.Read().DeviceUp);

        Watch(3, Progressing);
        Assert.Empty(_device.Switches);
        _device.Refuse = false;
        Watch(1, Progressing);

        Assert.Equal([true], _device.Switches);
        Assert.True(_controller.Read().DeviceUp);
    }
}
