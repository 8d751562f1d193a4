using System.Runtime.Versioning;
using Forwarder.Maglev;

namespace Forwarder.Tests.Maglev;

/// <summary>The multiply-based vector remainders against the <c>%</c> operator.</summary>
[SupportedOSPlatform("linux")]
public class RingIndexerTests
{
    private const int RandomHashes = 100_000;

    public static TheoryData<int> RingSizes => new()
    {
        2, 3, 7, 1009, MaglevRingSize.Default, MaglevRingSize.Large, 16777213, 1 << 30, int.MaxValue,
    };

    private static uint[] Hashes(int ringSize)
    {
        var random = new Random(ringSize);
        var hashes = new uint[RandomHashes];
        for (int i = 0; i < hashes.Length; i++)
        {
            hashes[i] = (uint)random.NextInt64(0, 1L << 32);
        }
        // Around multiples of the ring size and the ends of the range, where a wrong reciprocal shows first.
        uint size = (uint)ringSize;
        uint[] edges =
        [
            0, 1, uint.MaxValue, uint.MaxValue - 1, size - 1, size, size + 1, 2 * size - 1, 2 * size,
            uint.MaxValue / size * size, uint.MaxValue / size * size - 1, 0x80000000, 0x7fffffff,
        ];
        edges.CopyTo(hashes, 0);
        return hashes;
    }

    [Theory]
    [MemberData(nameof(RingSizes))]
    public void Vector_paths_agree_with_the_scalar_twin(int ringSize)
    {
        var indexer = new RingIndexer(ringSize);
        uint[] hashes = Hashes(ringSize);
        var scalar = new int[hashes.Length];
        indexer.IndexBatchScalar(hashes, scalar);
        for (int i = 0; i < 50; i++)
        {
            Assert.Equal((int)(hashes[i] % (uint)ringSize), scalar[i]);
        }

        var vector256 = new int[hashes.Length];
        indexer.IndexBatchVector256(hashes, vector256);
        Assert.Equal(scalar, vector256);

        var vector128 = new int[hashes.Length];
        indexer.IndexBatchVector128(hashes, vector128);
        Assert.Equal(scalar, vector128);

        var dispatched = new int[hashes.Length];
        indexer.IndexBatch(hashes, dispatched);
        Assert.Equal(scalar, dispatched);
    }

    [Fact]
    public void Every_tail_length_is_indexed()
    {
        var indexer = new RingIndexer(MaglevRingSize.Default);
        uint[] hashes = Hashes(MaglevRingSize.Default)[..40];
        for (int count = 0; count <= hashes.Length; count++)
        {
            var expected = new int[count];
            indexer.IndexBatchScalar(hashes.AsSpan(0, count), expected);
            var actual = new int[count];
            indexer.IndexBatchVector256(hashes.AsSpan(0, count), actual);
            Assert.Equal(expected, actual);
            indexer.IndexBatchVector128(hashes.AsSpan(0, count), actual);
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void Reference_flow_index() => Assert.Equal(48717, new RingIndexer(MaglevRingSize.Default).IndexOf(0xc7e68632));
}
