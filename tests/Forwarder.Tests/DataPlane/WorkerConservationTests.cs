using System.Diagnostics;
using System.Runtime.Versioning;
using Forwarder.DataPlane;
using Forwarder.Packets;

namespace Forwarder.Tests.DataPlane;

/// <summary>
/// A million packets through the real worker on simulated rings: after every iteration each frame is
/// in exactly one place, every received packet is transmitted or counted as a drop, and the wire sees
/// the packets in order with the MACs rewritten.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class WorkerConservationTests
{
    private const long Packets = 1_000_000;
    private const int ShortFrameEvery = 97;

    [Theory]
    [InlineData(64, true)]   // copy mode: the kernel sends 32 per TX wakeup and answers EAGAIN while more remain
    [InlineData(256, true)]
    [InlineData(29, false)]  // the kernel sends on its own schedule and never asks for a TX wakeup
    public void Every_frame_stays_in_exactly_one_place_over_a_million_packets(int batchSize, bool copyMode)
    {
        // Indices start short of 2^32, so they wrap during the run.
        using var queue = new SimulatedQueue(
            frameCount: 2048, fillSize: 1024, completionSize: 1024, rxSize: 512, txSize: 512,
            initialIndex: uint.MaxValue - 1000, txNeedsWakeup: copyMode)
        {
            ShortFrameEvery = ShortFrameEvery,
            TransmitOnWakeup = copyMode,
        };
        var worker = SimulatedWorker.Create(queue, batchSize);
        var random = new Random(batchSize);
        long deadline = Stopwatch.GetTimestamp() + 20 * Stopwatch.Frequency;
        int maxIterations = (int)(Packets / batchSize * 20);

        queue.CheckConservation(worker.FreeFrames);
        for (int iteration = 0; queue.Received < Packets; iteration++)
        {
            Assert.True(iteration < maxIterations, $"only {queue.Received} packets after {iteration} iterations");
            Assert.True(Stopwatch.GetTimestamp() < deadline, $"only {queue.Received} packets in the time allowed");
            queue.Receive(random.Next(0, 2 * batchSize));
            if (!copyMode)
                queue.TransmitAll(random.Next(0, 3 * batchSize));
            worker.RunOnce();
            queue.CheckConservation(worker.FreeFrames);
        }
        SimulatedWorker.Drain(queue, worker);

        WorkerCounters counters = worker.Counters;
        long shortFrames = queue.ShortFramesReceived;
        Assert.True(shortFrames > 0);
        Assert.Equal(queue.Received, counters.RxPackets);
        Assert.Equal(queue.Transmitted, counters.TxPackets);
        Assert.Equal(counters.RxPackets, counters.TxPackets + counters.TotalDrops);
        Assert.Equal(shortFrames, counters.Drops[(int)DropReason.FrameTooShort]);
        Assert.Equal(0, counters.Drops[(int)DropReason.TxRingFull]);
        Assert.Equal(queue.Transmitted, counters.Completions);
        Assert.Equal(counters.TxPackets * TestPacket.Length, counters.TxBytes);
        Assert.Equal(counters.TxPackets * TestPacket.Length + shortFrames * 10, counters.RxBytes);
        Assert.Equal(queue.TxWakeups, counters.TxWakeups);
        Assert.Equal(0, counters.TxWakeupErrors);
        if (copyMode)
            Assert.True(counters.TxWakeupsAgain > 0, "the EAGAIN path was exercised");
        else
            Assert.Equal(0, counters.TxWakeups);
    }

    [Fact]
    public void Frames_start_on_FILL_and_with_the_worker()
    {
        using var queue = new SimulatedQueue(frameCount: 4096, fillSize: 1024);
        var worker = SimulatedWorker.Create(queue, 64);

        queue.CheckConservation(worker.FreeFrames);
        Assert.Equal(1024, queue.Ledger.Count(FramePlace.Fill));
        Assert.Equal(4096 - 1024, worker.FreeFrames);
    }

    [Fact]
    public void Received_frames_return_to_FILL_once_transmitted()
    {
        using var queue = new SimulatedQueue(frameCount: 64, fillSize: 32, completionSize: 64, rxSize: 32, txSize: 32);
        var worker = SimulatedWorker.Create(queue, 16);

        Assert.Equal(16, queue.Receive(16));
        Assert.Equal(16, worker.RunOnce());
        queue.CheckConservation(worker.FreeFrames);
        Assert.Equal(16, queue.Transmitted); // copy mode: sent during the worker's TX wakeup
        Assert.Equal(16, queue.Ledger.Count(FramePlace.Completion));

        worker.RunOnce();
        queue.CheckConservation(worker.FreeFrames);
        Assert.Equal(16, worker.Counters.Completions);
        Assert.Equal(32, queue.Ledger.Count(FramePlace.Fill));
        Assert.Equal(32, worker.FreeFrames);
    }
}
