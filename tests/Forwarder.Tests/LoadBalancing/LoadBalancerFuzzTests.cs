using System.Runtime.Versioning;
using Forwarder.ControlPlane;
using Forwarder.DataPlane;
using Forwarder.Tests.Configuration;
using Forwarder.Tests.Packets;

namespace Forwarder.Tests.LoadBalancing;

/// <summary>
/// 100,000 mutated and truncated frames (most aimed at real VIPs, so they reach every rewrite) through
/// the whole load-balancing stage, each ending on the last readable byte before a guard page: no
/// exception, no read past a frame (it would crash the process), and every frame counted exactly once.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed unsafe class LoadBalancerFuzzTests
{
    private const int Frames = 100_000;
    private const int ChunkSize = 4096;

    [Fact]
    public void Mutated_and_truncated_frames_are_each_counted_once_and_never_read_past()
    {
        var snapshot = SnapshotBuilder.Build(TestConfigs.LoadValid(LoadBalancerConfigs.All), LoadBalancerConfigs.OwnMac, workerCount: 1);
        var processor = new LoadBalancer(new SnapshotSource(snapshot), 0);
        using var memory = new GuardedBuffer(2 * ChunkSize);
        var batch = new PacketBatch(memory.Start, ChunkSize);
        var random = new Random(20261122);
        byte[][] seeds = RandomFlows.Frames(seed: 3, count: 512);
        var verdicts = new long[DropReasons.Count];

        for (int n = 0; n < Frames; n++)
        {
            byte[] frame = Mutate(seeds[random.Next(seeds.Length)], random);
            byte* start = memory.PlaceAtEnd(frame);
            batch.Address[0] = (ulong)(start - memory.Start);
            batch.Length[0] = (uint)frame.Length;
            batch.Verdict[0] = DropReason.TxRingFull;
            batch.Count = 1;

            processor.Process(batch);

            DropReason verdict = batch.Verdict[0];
            Assert.InRange((int)verdict, 0, DropReasons.Count - 1);
            Assert.NotEqual(DropReason.TxRingFull, verdict);
            verdicts[(int)verdict]++;
            if (verdict == DropReason.None)
                Assert.InRange(batch.Address[0], (ulong)ChunkSize, 2UL * ChunkSize - batch.Length[0]);
        }

        LoadBalancerCounters counters = snapshot.Counters[0];
        Assert.Equal(Frames, verdicts.Sum());
        Assert.Equal(verdicts[(int)DropReason.None], counters.VipPackets.Sum() + counters.EchoReplies + counters.TooBigAnswered);
        Assert.True(verdicts[(int)DropReason.None] > Frames / 10, $"only {verdicts[0]} frames forwarded: the mutations hide too much");
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
