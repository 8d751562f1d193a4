using Forwarder.Hashing;

namespace Forwarder.Maglev;

/// <summary>
/// An endpoint's preference list in a ring of M slots: slot j of the list is
/// <c>(Offset + j * Skip) % M</c>, computed in 32-bit unsigned arithmetic exactly as Katran does.
/// Derived from the endpoint hash h as <c>Offset = murmur3_x64_64(h, 42, 0) % M</c> and
/// <c>Skip = murmur3_x64_64(h, 2718281828, 2307) % (M - 1) + 1</c>.
/// </summary>
public readonly record struct MaglevPermutation(uint Offset, uint Skip)
{
    private const ulong OffsetKey = 42;
    private const uint OffsetSeed = 0;
    private const ulong SkipKey = 2718281828;
    private const uint SkipSeed = 2307;

    public static MaglevPermutation For(ulong endpointHash, int ringSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ringSize, MaglevRingSize.Min);
        ulong slots = (ulong)ringSize;
        uint offset = (uint)(MurmurHash3.X64Hash64(endpointHash, OffsetKey, OffsetSeed) % slots);
        uint skip = (uint)(MurmurHash3.X64Hash64(endpointHash, SkipKey, SkipSeed) % (slots - 1)) + 1;
        return new MaglevPermutation(offset, skip);
    }
}
