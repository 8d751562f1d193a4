using System.Runtime.Versioning;
using Forwarder.Hashing;

namespace Forwarder.Tests.Hashing;

/// <summary>The vector paths of the batch flow hash against the scalar twin and the per-flow hash, with a seed per lane.</summary>
[SupportedOSPlatform("linux")]
public class FlowHashBatchTests
{
    private const int RandomFlows = 100_000;

    /// <summary>Seeds of real ring sizes and arbitrary ones, mixed lane by lane.</summary>
    private static readonly uint[] RingSeeds = [FlowHash.Seed, FlowHash.SeedFor(655373), FlowHash.SeedFor(1009), FlowHash.SeedFor(13)];

    private static (uint[] Sources, uint[] Ports, uint[] Seeds) RandomInputs(int count, int seed)
    {
        var random = new Random(seed);
        var sources = new uint[count];
        var ports = new uint[count];
        var seeds = new uint[count];
        for (int i = 0; i < count; i++)
        {
            sources[i] = (uint)random.NextInt64(0, 1L << 32);
            ports[i] = (uint)random.NextInt64(0, 1L << 32);
            seeds[i] = random.Next(5) < 4 ? RingSeeds[random.Next(RingSeeds.Length)] : (uint)random.NextInt64(0, 1L << 32);
        }
        // Extremes at the front so every path sees them.
        uint[] edges = [0, 1, uint.MaxValue, 0x80000000, 0x7fffffff];
        for (int i = 0; i < edges.Length && i < count; i++)
        {
            sources[i] = edges[i];
            ports[edges.Length - 1 - i] = edges[i];
            seeds[(i + 2) % edges.Length] = edges[i];
        }
        return (sources, ports, seeds);
    }

    [Fact]
    public void Every_path_agrees_with_the_scalar_twin_bit_for_bit()
    {
        var (sources, ports, seeds) = RandomInputs(RandomFlows, 1);
        var scalar = new uint[RandomFlows];
        FlowHashBatch.HashScalar(sources, ports, seeds, scalar);

        var vector256 = new uint[RandomFlows];
        FlowHashBatch.HashVector256(sources, ports, seeds, vector256);
        Assert.Equal(scalar, vector256);

        var vector128 = new uint[RandomFlows];
        FlowHashBatch.HashVector128(sources, ports, seeds, vector128);
        Assert.Equal(scalar, vector128);

        var dispatched = new uint[RandomFlows];
        FlowHashBatch.Hash(sources, ports, seeds, dispatched);
        Assert.Equal(scalar, dispatched);

        for (int i = 0; i < RandomFlows; i += 997)
        {
            Assert.Equal(FlowHash.HashV4(sources[i], ports[i], seeds[i]), scalar[i]);
        }
    }

    [Fact]
    public void Every_tail_length_is_hashed()
    {
        var (sources, ports, seeds) = RandomInputs(80, 2);
        for (int count = 0; count <= sources.Length; count++)
        {
            var expected = new uint[count];
            FlowHashBatch.HashScalar(sources.AsSpan(0, count), ports.AsSpan(0, count), seeds.AsSpan(0, count), expected);
            var actual256 = new uint[count];
            FlowHashBatch.HashVector256(sources.AsSpan(0, count), ports.AsSpan(0, count), seeds.AsSpan(0, count), actual256);
            var actual128 = new uint[count];
            FlowHashBatch.HashVector128(sources.AsSpan(0, count), ports.AsSpan(0, count), seeds.AsSpan(0, count), actual128);
            Assert.Equal(expected, actual256);
            Assert.Equal(expected, actual128);
        }
    }

    [Fact]
    public void Mismatched_spans_are_refused()
    {
        Assert.Throws<ArgumentException>(() => FlowHashBatch.Hash(new uint[4], new uint[3], new uint[4], new uint[4]));
        Assert.Throws<ArgumentException>(() => FlowHashBatch.Hash(new uint[4], new uint[4], new uint[3], new uint[4]));
        Assert.Throws<ArgumentException>(() => FlowHashBatch.HashScalar(new uint[4], new uint[4], new uint[4], new uint[3]));
    }

    [Fact]
    public void Key_batch_hashes_mixed_families_like_the_per_flow_hash()
    {
        var batch = new FlowKeyBatch();
        var random = new Random(3);
        var expected = new uint[batch.Capacity];
        for (int i = 0; i < batch.Capacity; i++)
        {
            var ports = new byte[4];
            random.NextBytes(ports);
            var options = (FlowHashOptions)(i % 8);
            uint portsWord = FlowHash.ApplyOptions(FlowHash.PortsWord(ports), options);
            bool destinationOnly = (options & FlowHashOptions.DestinationPortOnly) != 0;
            uint seed = RingSeeds[i % RingSeeds.Length];
            if (i % 3 == 0)
            {
                var address = new byte[16];
                random.NextBytes(address);
                batch.SetV6(i, address, ports, options);
                expected[i] = FlowHash.HashV6(destinationOnly ? new byte[16] : address, portsWord, seed);
            }
            else
            {
                var address = new byte[4];
                random.NextBytes(address);
                batch.SetV4(i, address, ports, options);
                expected[i] = FlowHash.HashV4(destinationOnly ? 0 : FlowHash.SourceWordV4(address), portsWord, seed);
            }
            batch.Seeds[i] = seed;
        }
        batch.Count = batch.Capacity;
        batch.ComputeHashes();
        Assert.Equal(expected, batch.ComputedHashes.ToArray());
    }

    [Fact]
    public void Reference_flow_through_the_batch()
    {
        var batch = new FlowKeyBatch(1) { Count = 1 };
        batch.SetV4(0, [192, 168, 1, 1], [0x7a, 0x69, 0x00, 0x50], FlowHashOptions.None);
        batch.ComputeHashes();
        Assert.Equal(0xc7e68632u, batch.Hashes[0]);
    }

    [Fact]
    public void Hashing_a_batch_does_not_allocate()
    {
        var batch = new FlowKeyBatch { Count = FlowKeyBatch.DefaultCapacity };
        // Warm up: the first calls may compile.
        batch.ComputeHashes();
        FlowHashBatch.HashVector128(batch.SourceWords, batch.Ports, batch.Seeds, batch.Hashes);
        FlowHashBatch.HashScalar(batch.SourceWords, batch.Ports, batch.Seeds, batch.Hashes);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            batch.ComputeHashes();
            FlowHashBatch.HashVector128(batch.SourceWords, batch.Ports, batch.Seeds, batch.Hashes);
            FlowHashBatch.HashScalar(batch.SourceWords, batch.Ports, batch.Seeds, batch.Hashes);
        }
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }
}
