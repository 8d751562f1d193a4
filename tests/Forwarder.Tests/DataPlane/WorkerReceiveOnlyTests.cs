using System.Runtime.Versioning;
using Forwarder.ControlPlane;
using Forwarder.DataPlane;
using Forwarder.Hosting;
using Forwarder.Tests.Configuration;
using Forwarder.Packets;

namespace Forwarder.Tests.DataPlane;

/// <summary>
/// The benchmarking switch <see cref="ForwarderOptions.ReceiveOnly"/> (<c>forwarder run --receive-only</c>), a
/// <see cref="ReceiveOnlyProcessor{TProcessor}"/> around the worker's processor: every batch is processed as usual,
/// then every frame goes back to FILL, nothing is transmitted, and each frame is counted under exactly one drop
/// reason — <c>receive_only</c> unless the processor dropped it itself. The loop still allocates nothing.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class WorkerReceiveOnlyTests
{
    private const int ShortFrameEvery = 97;

    /// <summary>The simulated NIC's test packet (UDP to 10.0.0.100:80) to three ipip backends, as the bench's lb cases.</summary>
    private static readonly string IpipToThreeBackends = ConfigBuilder.WithoutVips()
        .RouterMac("02:00:00:00:00:fe")
        .Vip("10.0.0.100", 80, "udp", v => v.Mode("ipip").Backends("10.200.0.1", "10.200.0.2", "10.200.0.3"))
        .ToYaml();

    [Fact]
    public void The_switch_is_off_by_default() =>
        Assert.False(new ForwarderOptions { Interface = "x", Queues = [], Vips = [], NextHopMac = [] }.ReceiveOnly);

    [Fact]
    public void Every_frame_comes_back_to_FILL_nothing_is_transmitted_and_each_is_counted_as_receive_only()
    {
        // FILL holds every frame, so after each iteration every frame must be back on it.
        using var queue = new SimulatedQueue(frameCount: 1024, fillSize: 1024, completionSize: 1024, rxSize: 512, txSize: 512,
            initialIndex: uint.MaxValue - 300)
        {
            ShortFrameEvery = ShortFrameEvery,
        };
        var worker = new Worker<ReceiveOnlyProcessor<L2Forward>, SimulatedKernel>(queue.Rings,
            new ReceiveOnlyProcessor<L2Forward>(new L2Forward(TestPacket.NextHopMac, TestPacket.OwnMac)),
            queue.Kernel, new WorkerOptions { BatchSize = 64, IdleSleepMs = 0 });
        WorkerCounters counters = worker.Counters;
        var random = new Random(5);

        queue.CheckConservation(worker.FreeFrames);
        Assert.Equal(1024, queue.Ledger.Count(FramePlace.Fill));
        for (int iteration = 0; iteration < 2000; iteration++)
        {
            queue.Receive(random.Next(0, 200));
            worker.RunOnce();
            queue.CheckConservation(worker.FreeFrames);
            Assert.Equal(queue.Ledger.FrameCount - queue.Ledger.Count(FramePlace.Rx), queue.Ledger.Count(FramePlace.Fill));
            Assert.Equal(0, worker.FreeFrames);
            Assert.Equal(0, queue.Ledger.Count(FramePlace.Tx));
        }
        while (worker.RunOnce() > 0)
            queue.CheckConservation(worker.FreeFrames);
        queue.CheckConservation(worker.FreeFrames);

        Assert.Equal(queue.Ledger.FrameCount, queue.Ledger.Count(FramePlace.Fill));
        Assert.True(queue.Received > 100_000, $"only {queue.Received} packets");
        Assert.Equal(queue.Received, counters.RxPackets);
        Assert.Equal(0, counters.TxPackets);
        Assert.Equal(0, counters.TxBytes);
        Assert.Equal(0, queue.Transmitted);
        Assert.Equal(0, queue.TxWakeups);
        Assert.Equal(0, counters.TxWakeups);
        Assert.Equal(0, counters.Completions);
        Assert.Equal(counters.RxPackets, counters.TotalDrops);
        Assert.Equal(queue.ShortFramesReceived, counters.Drops[(int)DropReason.FrameTooShort]);
        Assert.Equal(queue.Received - queue.ShortFramesReceived, counters.Drops[(int)DropReason.ReceiveOnly]);
        Assert.Equal(0, counters.Drops[(int)DropReason.TxRingFull]);
        Assert.Equal("receive_only", DropReasons.Name(DropReason.ReceiveOnly));
    }

    [Fact]
    public void Load_balancing_runs_in_full_and_every_balanced_frame_is_counted_as_receive_only()
    {
        using var queue = new SimulatedQueue(initialIndex: uint.MaxValue - 1000) { ShortFrameEvery = ShortFrameEvery };
        var snapshot = SnapshotBuilder.Build(TestConfigs.LoadValid(IpipToThreeBackends), TestPacket.OwnMac, workerCount: 1).Snapshot;
        var worker = new Worker<ReceiveOnlyProcessor<LoadBalancer>, SimulatedKernel>(queue.Rings,
            new ReceiveOnlyProcessor<LoadBalancer>(new LoadBalancer(new SnapshotSource(snapshot), 0)),
            queue.Kernel, new WorkerOptions { BatchSize = 64, IdleSleepMs = 0 });
        for (int iteration = 0; iteration < 3000; iteration++)
        {
            queue.Receive(iteration % 97);
            worker.RunOnce();
            queue.CheckConservation(worker.FreeFrames);
        }
        while (worker.RunOnce() > 0) { }

        WorkerCounters counters = worker.Counters;
        long balanced = counters.Drops[(int)DropReason.ReceiveOnly];
        Assert.True(balanced > 100_000, $"only {balanced} packets balanced");
        Assert.Equal(queue.Received, counters.RxPackets);
        Assert.Equal(counters.RxPackets, counters.TotalDrops);
        Assert.Equal(queue.ShortFramesReceived, counters.Drops[(int)DropReason.FrameTooShort]);
        Assert.Equal(queue.Received - queue.ShortFramesReceived, balanced);
        Assert.Equal(0, counters.TxPackets);
        Assert.Equal(0, queue.Transmitted);
        Assert.Equal(0, queue.TxWakeups);
        // The processor classified, hashed and looked up every frame: the VIP and its (one flow's) backend counted each one.
        LoadBalancerCounters lb = snapshot.Counters[0];
        Assert.Equal(balanced, lb.VipPackets[0]);
        Assert.Equal(balanced, lb.BackendPackets.Sum());
    }

    [Fact]
    public void The_receive_only_loop_allocates_nothing_with_plain_forwarding()
    {
        long allocated = MeasuredRun.OnOwnThread(() =>
        {
            using var queue = new SimulatedQueue(initialIndex: uint.MaxValue - 1000) { ShortFrameEvery = ShortFrameEvery };
            var worker = new Worker<ReceiveOnlyProcessor<L2Forward>, SimulatedKernel>(queue.Rings,
                new ReceiveOnlyProcessor<L2Forward>(new L2Forward(TestPacket.NextHopMac, TestPacket.OwnMac)),
                queue.Kernel, new WorkerOptions { BatchSize = 64, IdleSleepMs = 0 });
            MeasuredRun.Pump(queue, worker, 200_000); // JIT and tiering happen here
            long before = GC.GetAllocatedBytesForCurrentThread();
            MeasuredRun.Pump(queue, worker, 1_000_000);
            long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            while (worker.RunOnce() > 0) { } // what is still on RX
            CheckCounts(queue, worker.Counters);
            return bytes;
        });
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void The_receive_only_loop_allocates_nothing_with_load_balancing()
    {
        long allocated = MeasuredRun.OnOwnThread(() =>
        {
            using var queue = new SimulatedQueue(initialIndex: uint.MaxValue - 1000) { ShortFrameEvery = ShortFrameEvery };
            var snapshot = SnapshotBuilder.Build(TestConfigs.LoadValid(IpipToThreeBackends), TestPacket.OwnMac, workerCount: 1).Snapshot;
            var worker = new Worker<ReceiveOnlyProcessor<LoadBalancer>, SimulatedKernel>(queue.Rings,
                new ReceiveOnlyProcessor<LoadBalancer>(new LoadBalancer(new SnapshotSource(snapshot), 0)),
                queue.Kernel, new WorkerOptions { BatchSize = 64, IdleSleepMs = 0 });
            MeasuredRun.Pump(queue, worker, 200_000);
            long before = GC.GetAllocatedBytesForCurrentThread();
            MeasuredRun.Pump(queue, worker, 2_000_000);
            long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            while (worker.RunOnce() > 0) { } // what is still on RX
            CheckCounts(queue, worker.Counters);
            return bytes;
        });
        Assert.Equal(0, allocated);
    }

    /// <summary>Outside the measured part: every received frame was counted once, none was sent.</summary>
    private static void CheckCounts(SimulatedQueue queue, WorkerCounters counters)
    {
        if (counters.RxPackets != queue.Received || counters.TotalDrops != counters.RxPackets || counters.TxPackets != 0 || queue.Transmitted != 0)
            throw new FrameAccountingException("receive-only run lost or sent packets");
        if (counters.Drops[(int)DropReason.ReceiveOnly] != queue.Received - queue.ShortFramesReceived)
            throw new FrameAccountingException("receive_only does not count every balanced frame");
    }


}
