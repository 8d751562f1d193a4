using System.Runtime.Versioning;
using Forwarder.Maglev;

namespace Forwarder.Tests.Maglev;

/// <summary>Edge cases, validation, and the builder against the plain transcription of Katran's loops.</summary>
[SupportedOSPlatform("linux")]
public class MaglevBuilderTests
{
    [Theory]
    [InlineData(MaglevVersion.V1)]
    [InlineData(MaglevVersion.V2)]
    public void No_endpoints_give_no_table(MaglevVersion version)
    {
        Assert.Null(MaglevBuilder.Build([], version));
        Assert.Null(MaglevBuilder.Build([new MaglevEndpoint(1, 0, 42), new MaglevEndpoint(2, 0, 43)], version));
    }

    [Theory]
    [InlineData(MaglevVersion.V1)]
    [InlineData(MaglevVersion.V2)]
    public void One_endpoint_owns_every_slot(MaglevVersion version)
    {
        MaglevTable table = TestBackends.BuildOrFail([new MaglevEndpoint(9, 3, 42), new MaglevEndpoint(4, 0, 1)], version, 1009);
        Assert.Equal(1009, table.RingSize);
        Assert.All(table.Slots.ToArray(), id => Assert.Equal(9, id));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(65536)]
    [InlineData(65535)]
    [InlineData(-7)]
    [InlineData(MaglevRingSize.Max + 1)]
    public void Invalid_ring_sizes_are_refused(int ringSize)
    {
        Assert.False(MaglevRingSize.IsValid(ringSize));
        Assert.Throws<ArgumentOutOfRangeException>(() => MaglevBuilder.Build(TestBackends.Ipv4(3), MaglevVersion.V2, ringSize));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(1009)]
    [InlineData(MaglevRingSize.Default)]
    [InlineData(MaglevRingSize.Large)]
    [InlineData(16777213)]
    public void Prime_ring_sizes_are_valid(int ringSize) => Assert.True(MaglevRingSize.IsValid(ringSize));

    [Fact]
    public void Bad_endpoints_are_refused()
    {
        Assert.Throws<ArgumentException>(() => MaglevBuilder.Build([new MaglevEndpoint(-1, 1, 1), new MaglevEndpoint(2, 1, 2)]));
        Assert.Throws<ArgumentException>(() => MaglevBuilder.Build([new MaglevEndpoint(1, 1, 1), new MaglevEndpoint(1, 2, 2)]));
        Assert.Throws<ArgumentException>(() => MaglevBuilder.Build([new MaglevEndpoint(1, MaglevEndpoint.MaxWeight + 1, 1)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => MaglevBuilder.Build([new MaglevEndpoint(1, 1, 1)], (MaglevVersion)7));
    }

    [Theory]
    [InlineData(MaglevVersion.V1, 2)]
    [InlineData(MaglevVersion.V1, 13)]
    [InlineData(MaglevVersion.V1, 1009)]
    [InlineData(MaglevVersion.V1, MaglevRingSize.Default)]
    [InlineData(MaglevVersion.V1, MaglevRingSize.Large)]
    [InlineData(MaglevVersion.V2, 2)]
    [InlineData(MaglevVersion.V2, 13)]
    [InlineData(MaglevVersion.V2, 1009)]
    [InlineData(MaglevVersion.V2, MaglevRingSize.Default)]
    [InlineData(MaglevVersion.V2, MaglevRingSize.Large)]
    public void Matches_the_plain_transcription(MaglevVersion version, int ringSize)
    {
        var random = new Random(ringSize);
        foreach (int backendCount in new[] { 2, 3, 17, 300 })
        {
            var endpoints = Enumerable.Range(0, backendCount)
                .Select(i => new MaglevEndpoint(i * 3, (uint)random.Next(0, 6), (ulong)random.NextInt64() ^ ((ulong)i << 63)))
                .ToArray();
            if (endpoints.All(e => e.Weight == 0))
            {
                continue;
            }
            int[] expected = NaiveMaglev.Build(endpoints, version, ringSize);
            Assert.Equal(expected, TestBackends.BuildOrFail(endpoints, version, ringSize).Slots.ToArray());
        }
    }

    [Fact]
    public void Matches_the_plain_transcription_where_the_uint32_probe_wraps()
    {
        // A large ring and few backends make long preference walks, so offset + next * skip passes 2^32.
        const int ringSize = 1_048_573;
        MaglevEndpoint[] endpoints = TestBackends.Ipv4(5);
        Assert.True(MaglevRingSize.IsValid(ringSize));
        int[] expected = NaiveMaglev.Build(endpoints, MaglevVersion.V2, ringSize);
        Assert.Equal(expected, TestBackends.BuildOrFail(endpoints, MaglevVersion.V2, ringSize).Slots.ToArray());
    }
}
