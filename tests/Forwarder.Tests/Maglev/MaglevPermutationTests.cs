using System.Runtime.Versioning;
using Forwarder.Maglev;

namespace Forwarder.Tests.Maglev;

[SupportedOSPlatform("linux")]
public class MaglevPermutationTests
{
    [Theory]
    [InlineData(0UL, 22292u, 48325u)]
    [InlineData(1UL, 3304u, 19461u)]
    public void Reference_permutations(ulong endpointHash, uint offset, uint skip) =>
        Assert.Equal(new MaglevPermutation(offset, skip), MaglevPermutation.For(endpointHash, MaglevRingSize.Default));

    [Fact]
    public void Offsets_and_skips_stay_in_range()
    {
        var random = new Random(4);
        foreach (int ringSize in new[] { 2, 3, 1009, MaglevRingSize.Default, MaglevRingSize.Large })
        {
            for (int i = 0; i < 1000; i++)
            {
                var permutation = MaglevPermutation.For((ulong)random.NextInt64(), ringSize);
                Assert.InRange(permutation.Offset, 0u, (uint)ringSize - 1);
                Assert.InRange(permutation.Skip, 1u, (uint)ringSize - 1);
            }
        }
    }
}
