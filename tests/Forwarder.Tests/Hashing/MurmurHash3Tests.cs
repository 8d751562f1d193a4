using System.Runtime.Versioning;
using Forwarder.Hashing;

namespace Forwarder.Tests.Hashing;

/// <summary>
/// MurmurHash3 x64-128 against SMHasher's published verification value and against known answers from
/// an independent C implementation (PMurHash128, shipped with the murmurhash-native package) compiled
/// with g++, over messages with byte i = (byte)(i * 37 + 11), seeds 0 and 2307.
/// </summary>
[SupportedOSPlatform("linux")]
public class MurmurHash3Tests
{
    private static byte[] Message(int length) => Enumerable.Range(0, length).Select(i => (byte)(i * 37 + 11)).ToArray();

    [Fact]
    public void X64Hash128_passes_the_smhasher_verification()
    {
        // Hash keys {0}, {0,1}, ..., {0..254} with seed 256 - length, then hash the concatenated results
        // with seed 0; the first four bytes, little-endian, are the published 0x6384BA69.
        var hashes = new byte[16 * 256];
        var key = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        for (int i = 0; i < 256; i++)
        {
            var (h1, h2) = MurmurHash3.X64Hash128(key.AsSpan(0, i), (uint)(256 - i));
            BitConverter.TryWriteBytes(hashes.AsSpan(16 * i), h1);
            BitConverter.TryWriteBytes(hashes.AsSpan(16 * i + 8), h2);
        }
        var (final, _) = MurmurHash3.X64Hash128(hashes, 0);
        Assert.Equal(0x6384BA69u, (uint)final);
    }

    [Theory]
    [InlineData(0, 0x0000000000000000UL, 0x0000000000000000UL, 0x9a984db285a1b6e1UL, 0x6ced043c4c2f43abUL)]
    [InlineData(1, 0x932fc7cce617f1e7UL, 0x7a434b816c4508dcUL, 0xdfc7dfb8bc6fad89UL, 0x13737b5918f48020UL)]
    [InlineData(3, 0x6afac0b8de81a4b1UL, 0x0cdcf4fb816ab243UL, 0xbcee24e7a6db53a6UL, 0xe212cb9da3d1178cUL)]
    [InlineData(7, 0x8340cc686662983bUL, 0xa08f38dfaa7ff6f9UL, 0x8a36e4138a46d553UL, 0xb0e31b3809e61771UL)]
    [InlineData(8, 0xf0b144007f89ced7UL, 0xd02221832d7af9a1UL, 0x31e827efc761192fUL, 0x3affc84302e6b26bUL)]
    [InlineData(9, 0xdbb3088eaec8a0b1UL, 0xcbde24182efe09a9UL, 0x1c234dbcc95ead09UL, 0xa949d97483178444UL)]
    [InlineData(12, 0x11eea59fafc3bbb8UL, 0xde304d589b0ddbf8UL, 0x6f864284ae86263aUL, 0xe696b15b7585318fUL)]
    [InlineData(15, 0x2906f047b67f83ffUL, 0x49ca338fe7701facUL, 0x75d196e4385f0df8UL, 0x40ea47b519325adeUL)]
    [InlineData(16, 0xda9c66580c5ef0fbUL, 0x885aae87bb6c5ff7UL, 0x55fd3e7b899e1775UL, 0x9b692b0c3b48e0d1UL)]
    [InlineData(17, 0x78b8ee9a775e07d1UL, 0xe36790301698fce0UL, 0x7d5e8f12c53e11abUL, 0x8869c7de98677454UL)]
    [InlineData(31, 0xb1ca061ed4c5532fUL, 0xcb6926489e7b3763UL, 0xdde6936fd8c0b813UL, 0xf1f89ce6a5453271UL)]
    [InlineData(32, 0xaf7374eb8efe799bUL, 0x3a5200924dcdd6ffUL, 0xf98c6ff4467bfd55UL, 0x32d2ef6569355803UL)]
    [InlineData(33, 0x08b88a88c3099ba9UL, 0x15c06fbdb5df8af9UL, 0x84ca2fcb8e13545eUL, 0x4ecd603b0b70895fUL)]
    [InlineData(64, 0x497867a35161e107UL, 0x9a6c3536f9d78a8eUL, 0x686d0906b8a984a7UL, 0x8b5ff9ea2c26e022UL)]
    [InlineData(193, 0x316c08105d6e0674UL, 0x8ec62a0a869b7559UL, 0x74ed76984ed61489UL, 0x907ec9842b604bb1UL)]
    [InlineData(383, 0xcfcbfbf725fd96e3UL, 0xbb5cbec5eedf1aa7UL, 0xdeeaf20a219af19eUL, 0x51377f9786b5ab1aUL)]
    public void X64Hash128_matches_the_reference(int length, ulong seed0H1, ulong seed0H2, ulong seed2307H1, ulong seed2307H2)
    {
        byte[] message = Message(length);
        Assert.Equal((seed0H1, seed0H2), MurmurHash3.X64Hash128(message, 0));
        Assert.Equal((seed2307H1, seed2307H2), MurmurHash3.X64Hash128(message, 2307));
    }

    [Theory]
    [InlineData(0UL, 42UL, 0u)]
    [InlineData(0xd671359dbaa15954UL, 2718281828UL, 2307u)]
    [InlineData(ulong.MaxValue, 0UL, uint.MaxValue)]
    public void X64Hash64_is_the_first_half_of_x64_128_over_the_two_words(ulong a, ulong b, uint seed)
    {
        var bytes = new byte[16];
        BitConverter.TryWriteBytes(bytes, a);
        BitConverter.TryWriteBytes(bytes.AsSpan(8), b);
        Assert.Equal(MurmurHash3.X64Hash128(bytes, seed).H1, MurmurHash3.X64Hash64(a, b, seed));
    }
}
