using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using Forwarder.Steering;

namespace Forwarder.Tests.Steering;

/// <summary>redirect.c's address bitmaps: every key's address bit set, in its own direction's half.</summary>
[SupportedOSPlatform("linux")]
public sealed class AddressFilterTests
{
    private static bool IsSet(ulong[] words, int first, VipMapKey key)
    {
        int bit = SteeringHash.FilterBit(SteeringHash.Address(key));
        return (words[first + (bit >> 6)] >> (bit & 63) & 1) != 0;
    }

    [Fact]
    public void Every_address_has_its_bit_in_its_own_bitmap()
    {
        VipMapKey vip = VipMapKey.Create(IPAddress.Parse("10.100.0.1"), 80, ProtocolType.Tcp);
        VipMapKey backend = VipMapKey.Create(IPAddress.Parse("fc00::5"), 8080, ProtocolType.Tcp);

        ulong[] words = AddressFilter.Of([vip], [backend]);

        Assert.Equal(2 * AddressFilter.Words, words.Length);
        Assert.True(IsSet(words, 0, vip));
        Assert.True(IsSet(words, AddressFilter.Words, backend));
        Assert.True(IsSet(words, 0, VipMapKey.ForAddress(IPAddress.Parse("10.100.0.1")))); // port and protocol do not matter
        Assert.Equal(2, words.Sum(w => System.Numerics.BitOperations.PopCount(w)));
    }

    [Fact]
    public void Addresses_spread_over_the_bitmap()
    {
        var keys = Enumerable.Range(0, 256).Select(i => VipMapKey.ForAddress(new IPAddress(new byte[] { 10, 100, 0, (byte)i }))).ToList();

        ulong[] words = AddressFilter.Of(keys, []);

        // 256 addresses in 65,536 bits: a few may share a bit, most do not; a broken hash puts them in a handful.
        Assert.InRange(words.Sum(w => System.Numerics.BitOperations.PopCount(w)), 240, 256);
    }
}
