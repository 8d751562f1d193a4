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
        QueueHandOver[] queues = [new([0, 4096, 8192], [5, 6, 7]), new([], [1])];

        HandOverState read = Read(UpgradeMessages.State(queues, 12345), queueCount: 2);

        Assert.Equal(12345, read.StoppedAt);
        Assert.Equal(queues[0].FreeFrames, read.Queues[0].FreeFrames);
        Assert.Equal(queues[0].Counters, read.Queues[0].Counters);
        Assert.Empty(read.Queues[1].FreeFrames);
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
    public void A_state_that_is_not_one_is_refused(string text, string expected)
    {
        var e = Assert.Throws<FormatException>(() => Read(text.Split('\n'), queueCount: 1));
        Assert.Contains(expected, e.Message);
    }

    private static HandOverState Read(IEnumerable<string> lines, int queueCount)
    {
        var queue = new Queue<string>(lines);
        return UpgradeMessages.ReadState(() => queue.TryDequeue(out string? line) ? line : null, queueCount, frameCount: 4);
    }
}
