using System.Diagnostics;
using System.Runtime.Versioning;
using Forwarder.ControlPlane;
using Forwarder.DataPlane;
using Forwarder.Tests.Configuration;
using Forwarder.Tests.DataPlane;
using Forwarder.Tests.Packets;
using Forwarder.Packets;

namespace Forwarder.Tests.LoadBalancing;

/// <summary>
/// 100,000 mutated and truncated frames (most aimed at real VIPs, so they reach every rewrite) through
/// the whole load-balancing stage twice. First one frame at a time, each ending on the last readable byte
/// before a guard page: no exception and no read past a frame (it would crash the process); the verdict
/// of every frame is observed directly. Then the same frames through the real worker on a simulated queue,
/// in batches: the product's own counters must account for every frame fed — received = transmitted +
/// drops, each drop reason counted as often as that verdict was observed, every transmitted frame counted
/// under a VIP (or as an answer) by the load balancer.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed unsafe class LoadBalancerFuzzTests
{
    private const int Frames = 100_000;
    private const int ChunkSize = 4096;
    private const int BatchSize = 64;

    [Fact]
    public void Mutated_and_truncated_frames_are_each_counted_once_and_never_read_past()
    {
        byte[][] frames = MutatedFrames();
        long[] observed = VerdictsAtGuardPages(frames);
        Assert.True(observed[(int)DropReason.None] > Frames / 10, $"only {observed[0]} frames forwarded: the mutations hide too much");

        var snapshot = SnapshotBuilder.Build(TestConfigs.LoadValid(LoadBalancerConfigs.All), LoadBalancerConfigs.OwnMac, workerCount: 1).Snapshot;
        using var queue = new SimulatedQueue() { Frames = frames };
        var worker = new Worker<LoadBalancer, SimulatedKernel>(queue.Rings, new LoadBalancer(new SnapshotSource(snapshot), 0), queue.Kernel,
            new WorkerOptions { BatchSize = BatchSize, IdleSleepMs = 0 });
        long deadline = Stopwatch.GetTimestamp() + 60 * Stopwatch.Frequency;
        for (int iteration = 0; queue.Received < Frames; iteration++)
        {
            Assert.True(iteration < 4 * Frames / BatchSize && Stopwatch.GetTimestamp() < deadline, $"only {queue.Received} frames fed");
            queue.Receive((int)Math.Min(BatchSize, Frames - queue.Received));
            worker.RunOnce();
            queue.TransmitAll();
        }
        SimulatedWorker.Drain(queue, worker);

        WorkerCounters counters = worker.Counters;
        LoadBalancerCounters balanced = snapshot.Counters[0];
        Assert.Equal(Frames, counters.RxPackets);
        Assert.Equal(counters.RxPackets, counters.TxPackets + counters.TotalDrops);
        Assert.Equal(queue.Transmitted, counters.TxPackets);
        Assert.Equal(observed[(int)DropReason.None], counters.TxPackets);
        for (int reason = 1; reason < DropReasons.Count; reason++)
            Assert.True(observed[reason] == counters.Drops[reason],
                $"{DropReasons.Name((DropReason)reason)}: {observed[reason]} frames got that verdict, the worker counted {counters.Drops[reason]}");
        Assert.Equal(counters.TxPackets, balanced.VipPackets.Sum() + balanced.EchoReplies + balanced.TooBigAnswered);
    }

    /// <summary>Each frame alone through the stage, ending right before a guard page; returns how many frames got each verdict.</summary>
    private static long[] VerdictsAtGuardPages(byte[][] frames)
    {
        var snapshot = SnapshotBuilder.Build(TestConfigs.LoadValid(LoadBalancerConfigs.All), LoadBalancerConfigs.OwnMac, workerCount: 1).Snapshot;
        var processor = new LoadBalancer(new SnapshotSource(snapshot), 0);
        using var memory = new GuardedBuffer(2 * ChunkSize);
        var batch = new PacketBatch(memory.Start, ChunkSize);
        var observed = new long[DropReasons.Count];
        foreach (byte[] frame in frames)
        {
            byte* start = memory.PlaceAtEnd(frame);
            batch.Address[0] = (ulong)(start - memory.Start);
            batch.Length[0] = (uint)frame.Length;
            batch.Verdict[0] = DropReason.TxRingFull;
            batch.Count = 1;

            processor.Process(batch);

            DropReason verdict = batch.Verdict[0];
            Assert.InRange((int)verdict, 0, DropReasons.Count - 1);
            Assert.NotEqual(DropReason.TxRingFull, verdict); // the stale verdict was replaced
            observed[(int)verdict]++;
            if (verdict == DropReason.None)
                Assert.InRange(batch.Address[0], (ulong)ChunkSize, 2UL * ChunkSize - batch.Length[0]);
        }
        LoadBalancerCounters counters = snapshot.Counters[0];
        Assert.Equal(observed[(int)DropReason.None], counters.VipPackets.Sum() + counters.EchoReplies + counters.TooBigAnswered);
        return observed;
    }

    private static byte[][] MutatedFrames()
    {
        var random = new Random(20261122);
        byte[][] seeds = RandomFlows.Frames(seed: 3, count: 512);
        var frames = new byte[Frames][];
        for (int n = 0; n < Frames; n++)
            frames[n] = Mutate(seeds[random.Next(seeds.Length)], random);
        return frames;
    }

    /// <summary>One to three random bytes changed in the headers, or the frame cut short, or both.</summary>
    private static byte[] Mutate(byte[] seed, Random random)
    {
        byte[] frame = (byte[])seed.Clone();
        int changes = random.Next(0, 4);
        for (int i = 0; i < changes; i++)
            frame[random.Next(Math.Min(frame.Length, 80))] = (byte)random.Next(256);
        if (random.Next(3) == 0)
            frame = frame[..random.Next(frame.Length + 1)];
        return frame;
    }
}
