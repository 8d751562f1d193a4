namespace Forwarder.Steering;

/// <summary>
/// redirect.c's <c>addr_filter</c>: a bitmap of the VIP destinations (words 0 to <see cref="Words"/> − 1), then one of
/// the nat backend sources. A key's address sets the bit <see cref="SteeringHash.FilterBit"/>; a frame whose address
/// bit is clear passes without a table probe.
/// </summary>
public static class AddressFilter
{
    /// <summary>FILTER_WORDS in redirect.c: the 64-bit words of one bitmap.</summary>
    public const int Words = SteeringHash.FilterBits / 64;

    /// <summary>Both bitmaps, as the map's <c>2 × Words</c> entries.</summary>
    public static ulong[] Of(IEnumerable<VipMapKey> vips, IEnumerable<VipMapKey> natSources)
    {
        var words = new ulong[2 * Words];
        Set(words, 0, vips);
        Set(words, Words, natSources);
        return words;
    }

    private static void Set(ulong[] words, int first, IEnumerable<VipMapKey> keys)
    {
        foreach (VipMapKey key in keys)
        {
            int bit = SteeringHash.FilterBit(SteeringHash.Address(key));
            words[first + (bit >> 6)] |= 1UL << (bit & 63);
        }
    }
}
