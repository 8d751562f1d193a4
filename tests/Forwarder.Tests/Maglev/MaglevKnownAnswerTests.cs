using System.Net;
using System.Runtime.Versioning;
using Forwarder.Maglev;

namespace Forwarder.Tests.Maglev;

/// <summary>
/// Whole tables against an independent C++ implementation of Katran's fills (its own folly-style
/// endpoint hash over the reference SpookyV2.cpp, PMurHash128 for the permutation, the plain
/// uint32 probe loop), compared through the SHA-256 of the table's little-endian int32 slots.
/// </summary>
[SupportedOSPlatform("linux")]
public class MaglevKnownAnswerTests
{
    private static MaglevEndpoint V4(int id, byte a, byte b, byte c, byte d, uint weight) =>
        MaglevEndpoint.ForAddress(id, new IPAddress(new[] { a, b, c, d }), weight);

    private static MaglevEndpoint[] ThreeReals() =>
        [V4(1, 10, 0, 0, 1, 1), V4(2, 10, 0, 0, 2, 1), V4(3, 10, 0, 0, 3, 1)];

    private static MaglevEndpoint[] HundredReals(Func<int, uint> weight) =>
        Enumerable.Range(0, 100).Select(i => V4(i, 10, 1, 0, (byte)(i + 1), weight(i))).ToArray();

    private static MaglevEndpoint[] TwentyIpv6Reals() =>
        Enumerable.Range(0, 20)
            .Select(i => MaglevEndpoint.ForAddress(100 + i, IPAddress.Parse($"2001:db8::{i + 1:x}"), (uint)(i % 4 + 1)))
            .ToArray();

    [Theory]
    [InlineData(MaglevVersion.V1)]
    [InlineData(MaglevVersion.V2)]
    public void Three_reals_reference_ring(MaglevVersion version)
    {
        MaglevTable table = TestBackends.BuildOrFail(ThreeReals(), version);
        Assert.Equal([2, 1, 3, 2, 1, 3, 3, 1, 1, 2, 1, 2], table.Slots[..12].ToArray());
        Assert.Equal("2790e8c3fe9ecc1f97570386e3fc15608aa00dbcd19b2186bfc78b9105af3959", table.Digest);
    }

    [Fact]
    public void Hundred_weighted_reals_v2() =>
        Assert.Equal("bcf06d9d534503c565531bc9b0782a8594c66943f97ed5dbd51ed52411964174",
            TestBackends.BuildOrFail(HundredReals(i => (uint)(i % 5 + 1)), MaglevVersion.V2).Digest);

    [Fact]
    public void Hundred_weighted_reals_v1() =>
        Assert.Equal("3c4aca6ced18407d42e78098711fe555e3cf551c888bfbbfa85246c3fce1720e",
            TestBackends.BuildOrFail(HundredReals(i => (uint)(i % 3 + 1)), MaglevVersion.V1).Digest);

    [Fact]
    public void Thousand_reals_on_the_large_ring_keep_katrans_uint32_wrap()
    {
        // With 64-bit probe arithmetic this table would differ (digest b9ee9e32...): the wrap matters.
        var reals = Enumerable.Range(0, 1000).Select(i => V4(i, 10, 2, (byte)(i >> 8), (byte)i, 1)).ToArray();
        Assert.Equal("c44f85b085f19ab29d316ec1d1523e2966bd82dd6aa63df4c9a5f5c50b1104b4",
            TestBackends.BuildOrFail(reals, MaglevVersion.V2, MaglevRingSize.Large).Digest);
    }

    [Fact]
    public void Ipv6_reals_v2() =>
        Assert.Equal("42f52c40c56f287b9a54946d30b05654afb25c3f325532fe0081a11562e6d1c0",
            TestBackends.BuildOrFail(TwentyIpv6Reals(), MaglevVersion.V2).Digest);

    [Fact]
    public void Ipv6_reals_v1_on_a_small_ring() =>
        Assert.Equal("21ccc0182e30628ca97420e569878a099d3666263dcf197bef6b6f4833bbd3e4",
            TestBackends.BuildOrFail(TwentyIpv6Reals(), MaglevVersion.V1, 1009).Digest);

    [Fact]
    public void Reference_flow_lands_on_slot_48717()
    {
        MaglevTable table = TestBackends.BuildOrFail(ThreeReals(), MaglevVersion.V2);
        Assert.Equal(table.Slots[48717], table.Lookup(0xc7e68632));
    }
}
