using Forwarder.Hosting;
using Forwarder.Hosting.Upgrade;

namespace Forwarder.Tests.Hosting;

/// <summary>The hand-over's state lines: what a predecessor writes is read back whole; anything else is refused, naming what is wrong.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class UpgradeMessagesTests
{
    [Fact]
    public void The_state_reads_back_as_written()
    {
        QueueHandOver[] queues = [new([8192, 0, 4096], [5, 6, 7]), new([], [1])];
        var timeline = new HandOverTimeline();
        timeline.Set(HandOverStep.StopRequested, 12345);
        timeline.Set(HandOverStep.WorkersStopped, 12346);
        timeline.Set(HandOverStep.StateRead, 12347);

        var read = new HandOverTimeline();
        HandOverState state = Read(UpgradeMessages.State(queues, 4096, timeline), queueCount: 2, read);

        Assert.Equal(12345, state.StoppedAt);
        Assert.Equal(queues[0].FreeFrames.Order(), state.Queues[0].FreeFrames.Order());
        Assert.Equal(queues[0].Counters, state.Queues[0].Counters);
        Assert.Empty(state.Queues[1].FreeFrames);
        Assert.Equal(12346, read[HandOverStep.WorkersStopped]);
        Assert.Equal(12347, read[HandOverStep.StateRead]);
        Assert.Equal(timeline[HandOverStep.Serialized], read[HandOverStep.Serialized]);
    }

    [Fact]
    public void A_whole_umem_of_free_frames_travels_as_a_bitmap_of_a_few_kilobytes()
    {
        ulong[] frames = Enumerable.Range(0, 16384).Select(i => (ulong)(16383 - i) * 2048).ToArray();
        var timeline = new HandOverTimeline();
        timeline.Mark(HandOverStep.StopRequested);

        List<string> lines = UpgradeMessages.State([new QueueHandOver(frames, [])], 2048, timeline);
        var queue = new Queue<string>(lines);
        HandOverState state = UpgradeMessages.ReadState(() => queue.TryDequeue(out string? line) ? line : null, 1, frameCount: 16384);

        Assert.True(lines.Sum(l => l.Length) < 3000, $"{lines.Sum(l => l.Length)} characters");
        Assert.Equal(frames.Order(), state.Queues[0].FreeFrames.Order());
    }

    [Fact]
    public void A_predecessor_that_lists_its_frames_one_by_one_is_read_as_well()
    {
        HandOverState state = Read(["stopped 7", "queue 0 0 4096", "counters 0 1 2", "end"], queueCount: 1);

        Assert.Equal([0UL, 4096UL], state.Queues[0].FreeFrames);
        Assert.Equal([1L, 2L], state.Queues[0].Counters);
    }

    [Theory]
    [InlineData("queue 0 1 2", "ended before 'end'")]
    [InlineData("queue 5 0\nend", "names no queue")]
    [InlineData("queue x 0\nend", "names no queue")]
    [InlineData("queue 0 0 -1\nend", "not a frame address")]
    [InlineData("queue 0 0 1 2 3 4 5\nend", "6 free frames handed over for a UMEM of 4")]
    [InlineData("queue 0 0\nqueue 0 4096\nend", "repeats one")]
    [InlineData("frames 0 0\nend", "not a queue's frames")]
    [InlineData("counters 0 1\nend", "no free frames for queue 0")]
    [InlineData("queue 0 0\ncounters 0 z\nend", "not a counter value")]
    [InlineData("free 0 4096 !!!\nend", "not a base64 frame bitmap")]
    [InlineData("free 0 4096 AQI=\nend", "free frame 9 handed over for a UMEM of 4")]
    [InlineData("free 0 0 AQ==\nend", "'free INDEX FRAME_SIZE BITMAP'")]
    [InlineData("free 0 4096\nend", "'free INDEX FRAME_SIZE BITMAP'")]
    [InlineData("free 0 4096 -\nfree 0 4096 -\nend", "repeats one")]
    [InlineData("free 0 4096 AQ==\nfree 0 4096 AQ==\nend", "repeats one")]
    [InlineData("free 1 4096 AQ==\nend", "names no queue")]
    public void A_state_that_is_not_one_is_refused(string text, string expected)
    {
        var e = Assert.Throws<FormatException>(() => Read(text.Split('\n'), queueCount: 1));
        Assert.Contains(expected, e.Message);
    }

    [Theory]
    [InlineData("times x y z")]
    [InlineData("times")]
    [InlineData("times 1 2 3 4 5 6")]
    public void A_times_line_it_cannot_read_is_passed_over(string times)
    {
        HandOverState state = Read(["free 0 4096 AQ==", times, "end"], queueCount: 1);

        Assert.Equal([0UL], state.Queues[0].FreeFrames);
    }

    private static HandOverState Read(IEnumerable<string> lines, int queueCount, HandOverTimeline? timeline = null)
    {
        var queue = new Queue<string>(lines);
        return UpgradeMessages.ReadState(() => queue.TryDequeue(out string? line) ? line : null, queueCount, frameCount: 4, timeline);
    }
}
