using System.Diagnostics;
using Forwarder.Hosting;

namespace Forwarder.Tests.Hosting;

/// <summary>The pause's timeline: each step's milliseconds since the one reached before it, in the order they happened.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class HandOverTimelineTests
{
    private static readonly long Ms = Stopwatch.Frequency / 1000;

    [Fact]
    public void Each_step_says_its_time_since_the_step_before_and_the_gap_runs_to_the_first_batch()
    {
        var timeline = new HandOverTimeline();
        timeline.Set(HandOverStep.StopRequested, 1000 * Ms);
        timeline.Set(HandOverStep.WorkersStopped, 1001 * Ms);
        timeline.Set(HandOverStep.Received, 1003 * Ms);
        timeline.Set(HandOverStep.TookOver, 1004 * Ms);
        timeline.Set(HandOverStep.FirstBatch, 1010 * Ms); // after the take-over's last step: said after it

        Assert.Equal(10.0, timeline.GapMilliseconds!.Value, 3);
        Assert.Equal("workers_stopped=+1.000 received=+2.000 took_over=+1.000 first_batch=+6.000 state_read=- serialized=- parsed=- " +
            "running_sent=- queues_taken=- gate_opened=- worker_woken=-", timeline.Describe());
    }

    [Fact]
    public void Without_a_first_batch_there_is_no_gap()
    {
        var timeline = new HandOverTimeline();
        timeline.Mark(HandOverStep.StopRequested);

        Assert.Null(timeline.GapMilliseconds);
        Assert.Equal("(the stop request was not timed)", new HandOverTimeline().Describe());
    }
}
