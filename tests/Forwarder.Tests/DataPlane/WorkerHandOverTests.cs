using System.Diagnostics;
using System.Runtime.Versioning;
using Forwarder.DataPlane;

namespace Forwarder.Tests.DataPlane;

/// <summary>
/// An upgrade's hand-over of one queue, on simulated rings: a worker runs, stops at a batch boundary with frames on
/// every ring, and a second worker over its own mapping of the same rings (made earlier, while the first still ran)
/// takes its free frames. Every frame stays in exactly one place throughout, nothing is lost or given twice, and the
/// two workers' counters add up to what the wire saw.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class WorkerHandOverTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void Every_frame_is_accounted_for_across_a_hand_over_at_an_arbitrary_ring_state(int seed)
    {
        var random = new Random(seed);
        using var queue = new SimulatedQueue(
            frameCount: 1024, fillSize: 256, completionSize: 512, rxSize: 256, txSize: 256,
            initialIndex: uint.MaxValue - (uint)random.Next(0, 3000), txNeedsWakeup: true)
        {
            ShortFrameEvery = 13,
            TransmitOnWakeup = false, // the kernel sends on its own schedule below, so TX and COMPLETION hold frames at the stop
        };
        int batchSize = random.Next(1, 128);
        var first = SimulatedWorker.Create(queue, batchSize);
        QueueRings remapped = default;
        int mapAt = random.Next(0, 200), stopAt = random.Next(mapAt + 1, 400);
        for (int iteration = 0; iteration < stopAt; iteration++)
        {
            if (iteration == mapAt)
                remapped = queue.MapAgain(); // the successor maps while its predecessor goes on
            Step(queue, first, random, batchSize);
        }
        first.Stop();
        ulong[] free = first.CopyFreeFrames();
        queue.Receive(random.Next(0, batchSize)); // the NIC goes on while no worker runs
        queue.TransmitAll(random.Next(0, batchSize));

        var second = new Worker<L2Forward, SimulatedKernel>(remapped, new L2Forward(TestPacket.NextHopMac, TestPacket.OwnMac), queue.Kernel,
            new WorkerOptions { BatchSize = batchSize, IdleSleepMs = 0 }, WorkerStart.AwaitHandOver);
        Assert.Equal(0, second.FreeFrames);
        second.TakeOver(free);
        queue.CheckConservation(second.FreeFrames);
        for (int iteration = 0; iteration < 300; iteration++)
            Step(queue, second, random, batchSize);
        SimulatedWorker.Drain(queue, second);

        Assert.Equal(queue.Received, first.Counters.RxPackets + second.Counters.RxPackets);
        Assert.Equal(queue.Transmitted, first.Counters.TxPackets + second.Counters.TxPackets);
        Assert.Equal(queue.Received, first.Counters.TxPackets + second.Counters.TxPackets + first.Counters.TotalDrops + second.Counters.TotalDrops);
        int tooShort = (int)Forwarder.Packets.DropReason.FrameTooShort;
        Assert.Equal(queue.ShortFramesReceived, first.Counters.Drops[tooShort] + second.Counters.Drops[tooShort]);
    }

    [Fact]
    public void A_frame_handed_over_twice_is_refused_and_nothing_is_touched()
    {
        using var queue = new SimulatedQueue(frameCount: 256, fillSize: 64, completionSize: 64, rxSize: 64, txSize: 64);
        var first = SimulatedWorker.Create(queue, 16);
        first.Stop();
        ulong[] free = first.CopyFreeFrames();
        var second = Awaiting(queue);

        Assert.Contains("twice", Assert.Throws<ArgumentException>(() => second.TakeOver([.. free, free[0]])).Message);
        Assert.Contains("exceed", Assert.Throws<ArgumentException>(() => second.TakeOver([.. free, queue.Rings.Fill[0]])).Message);
        Assert.Contains("not a chunk start", Assert.Throws<ArgumentException>(() => second.TakeOver([free[0] + 1])).Message);
        Assert.Contains("not a chunk start", Assert.Throws<ArgumentException>(() => second.TakeOver([256UL * queue.FrameSize])).Message);
        Assert.Equal(0, second.FreeFrames);
        queue.CheckConservation(first.FreeFrames); // the first one may resume as if nothing happened
    }

    [Fact]
    public void A_worker_stopped_for_a_hand_over_that_failed_resumes_where_it_was()
    {
        using var queue = new SimulatedQueue(frameCount: 256, fillSize: 64, completionSize: 64, rxSize: 64, txSize: 64);
        var worker = SimulatedWorker.Create(queue, 16);
        queue.Receive(40);
        worker.RunOnce();
        worker.Stop();
        _ = worker.CopyFreeFrames();
        worker.Resume();
        var runner = new Thread(worker.Run);
        runner.Start();
        worker.Stop();
        Assert.True(runner.Join(TimeSpan.FromSeconds(10)));
        queue.CheckConservation(worker.FreeFrames);
        SimulatedWorker.Drain(queue, worker);
        Assert.Equal(40, worker.Counters.RxPackets);
    }

    private static Worker<L2Forward, SimulatedKernel> Awaiting(SimulatedQueue queue) =>
        new(queue.MapAgain(), new L2Forward(TestPacket.NextHopMac, TestPacket.OwnMac), queue.Kernel,
            new WorkerOptions { BatchSize = 16, IdleSleepMs = 0 }, WorkerStart.AwaitHandOver);

    private static void Step(SimulatedQueue queue, Worker<L2Forward, SimulatedKernel> worker, Random random, int batchSize)
    {
        queue.Receive(random.Next(0, 2 * batchSize));
        queue.TransmitAll(random.Next(0, 2 * batchSize));
        worker.RunOnce();
        queue.CheckConservation(worker.FreeFrames);
    }
}
