using System.Runtime.Versioning;
using Forwarder.Maglev;

namespace Forwarder.Tests.Maglev;

/// <summary>Batch lookups against the scalar twin, the digest, and allocation-free lookups.</summary>
[SupportedOSPlatform("linux")]
public class MaglevTableTests
{
    private static uint[] RandomHashes(int count, int seed)
    {
        var random = new Random(seed);
        var hashes = new uint[count];
        for (int i = 0; i < count; i++)
        {
            hashes[i] = (uint)random.NextInt64(0, 1L << 32);
        }
        hashes[0] = uint.MaxValue;
        hashes[1] = 0;
        return hashes;
    }

    [Theory]
    [InlineData(MaglevRingSize.Default)]
    [InlineData(MaglevRingSize.Large)]
    public void Batch_lookups_agree_with_the_scalar_twin(int ringSize)
    {
        MaglevTable table = TestBackends.BuildOrFail(TestBackends.Ipv4(100), MaglevVersion.V2, ringSize);
        uint[] hashes = RandomHashes(100_003, ringSize);
        var expected = new int[hashes.Length];
        table.LookupBatchScalar(hashes, expected);
        for (int i = 0; i < hashes.Length; i += 1009)
        {
            Assert.Equal(table.Lookup(hashes[i]), expected[i]);
            Assert.Equal(table.Slots[(int)(hashes[i] % (uint)ringSize)], expected[i]);
        }

        var actual = new int[hashes.Length];
        table.LookupBatch(hashes, actual);
        Assert.Equal(expected, actual);
        Array.Clear(actual);
        table.LookupBatchVector256(hashes, actual);
        Assert.Equal(expected, actual);
        Array.Clear(actual);
        table.LookupBatchGather(hashes, actual);
        Assert.Equal(expected, actual);

        var indices = new int[hashes.Length];
        table.Indexer.IndexBatch(hashes, indices);
        table.Gather(indices, indices);
        Assert.Equal(expected, indices);
    }

    [Fact]
    public void Digest_is_stable_and_tells_tables_apart()
    {
        MaglevTable first = TestBackends.BuildOrFail(TestBackends.Ipv4(50), MaglevVersion.V2);
        MaglevTable again = TestBackends.BuildOrFail(TestBackends.Shuffled(TestBackends.Ipv4(50), 9), MaglevVersion.V2);
        MaglevTable fewer = TestBackends.BuildOrFail(TestBackends.Ipv4(49), MaglevVersion.V2);
        MaglevTable larger = TestBackends.BuildOrFail(TestBackends.Ipv4(50), MaglevVersion.V2, MaglevRingSize.Large);
        Assert.Matches("^[0-9a-f]{64}$", first.Digest);
        Assert.Equal(first.Digest, again.Digest);
        Assert.NotEqual(first.Digest, fewer.Digest);
        Assert.NotEqual(first.Digest, larger.Digest);
    }

    [Fact]
    public void Lookups_do_not_allocate()
    {
        MaglevTable table = TestBackends.BuildOrFail(TestBackends.Ipv4(10), MaglevVersion.V2);
        uint[] hashes = RandomHashes(64, 5);
        var backends = new int[64];
        void RunAll()
        {
            table.LookupBatch(hashes, backends);
            table.LookupBatchScalar(hashes, backends);
            table.LookupBatchGather(hashes, backends);
            table.Indexer.IndexBatch(hashes, backends);
            _ = table.Lookup(hashes[3]);
        }
        RunAll();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            RunAll();
        }
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void Short_output_spans_are_refused()
    {
        MaglevTable table = TestBackends.BuildOrFail(TestBackends.Ipv4(3), MaglevVersion.V2);
        Assert.Throws<ArgumentException>(() => table.LookupBatch(new uint[8], new int[7]));
        Assert.Throws<ArgumentException>(() => table.Indexer.IndexBatch(new uint[8], new int[7]));
    }
}
