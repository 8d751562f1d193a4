using System.Runtime.Versioning;
using Forwarder.DataPlane;
using Forwarder.Packets;

namespace Forwarder.Tests.DataPlane;

/// <summary>When the kernel stops sending, TX fills up: the worker drops what does not fit, counts it, and loses no frame.</summary>
[SupportedOSPlatform("linux")]
public sealed class WorkerTxRingFullTests
{
    private const uint TxSize = 64;
    private const int Batch = 48;

    [Fact]
    public void A_stalled_kernel_makes_the_worker_drop_as_TxRingFull_and_frames_still_balance()
    {
        using var queue = new SimulatedQueue(txSize: TxSize) { TxStalled = true, TxWakeupLimit = 1000 };
        var worker = SimulatedWorker.Create(queue, Batch);
        WorkerCounters counters = worker.Counters;

        // The first batch fits; the second fills the last 16 TX entries and drops its other 32.
        Step(queue, worker);
        Step(queue, worker);
        Assert.Equal(TxSize, queue.TxPending);
        Assert.Equal(TxSize, counters.TxPackets);
        Assert.Equal(2 * Batch - TxSize, counters.Drops[(int)DropReason.TxRingFull]);

        for (int i = 0; i < 20; i++)
            Step(queue, worker);
        Assert.Equal(22 * Batch, counters.RxPackets);
        Assert.Equal(TxSize, counters.TxPackets);
        Assert.Equal(counters.RxPackets - TxSize, counters.Drops[(int)DropReason.TxRingFull]);
        Assert.Equal(counters.RxPackets, counters.TxPackets + counters.TotalDrops);
        Assert.True(counters.TxWakeupsAgain > 0, "the stalled kernel answered EAGAIN");
        Assert.Equal(counters.TxWakeups, counters.TxWakeupsAgain);
        Assert.Equal(0, queue.Transmitted);
    }

    [Fact]
    public void When_the_kernel_resumes_the_frames_on_TX_go_out_in_order_and_forwarding_recovers()
    {
        using var queue = new SimulatedQueue(txSize: TxSize) { TxStalled = true, TxWakeupLimit = 1000 };
        var worker = SimulatedWorker.Create(queue, Batch);
        WorkerCounters counters = worker.Counters;
        for (int i = 0; i < 10; i++)
            Step(queue, worker);
        long droppedWhileStalled = counters.Drops[(int)DropReason.TxRingFull];

        queue.TxStalled = false;
        SimulatedWorker.Drain(queue, worker);
        Assert.Equal(TxSize, queue.Transmitted);
        Assert.Equal(TxSize - 1, queue.LastTransmittedSequence); // the first 64 received, nothing after them

        for (int i = 0; i < 10; i++)
            Step(queue, worker);
        SimulatedWorker.Drain(queue, worker);
        Assert.Equal(droppedWhileStalled, counters.Drops[(int)DropReason.TxRingFull]);
        Assert.Equal(TxSize + 10 * Batch, counters.TxPackets);
        Assert.Equal(counters.TxPackets, queue.Transmitted);
        Assert.Equal(counters.RxPackets, counters.TxPackets + counters.TotalDrops);
    }

    private static void Step(SimulatedQueue queue, Worker<L2Forward, SimulatedKernel> worker)
    {
        Assert.Equal(Batch, queue.Receive(Batch));
        Assert.Equal(Batch, worker.RunOnce());
        queue.CheckConservation(worker.FreeFrames);
    }
}
