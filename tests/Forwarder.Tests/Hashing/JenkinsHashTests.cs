using System.Runtime.Versioning;
using Forwarder.Hashing;

namespace Forwarder.Tests.Hashing;

/// <summary>
/// Known answers for the kernel's jhash family. The tables were produced by compiling the Linux 6.1
/// <c>include/linux/jhash.h</c> unchanged with gcc; the lookup3 values are the ones Bob Jenkins
/// publishes in lookup3.c's self-test (hashlittle equals the kernel's jhash on little-endian machines).
/// </summary>
[SupportedOSPlatform("linux")]
public class JenkinsHashTests
{
    private static byte[] Key(int length) => Enumerable.Range(0, length).Select(i => (byte)(i * 37 + 11)).ToArray();

    [Theory]
    [InlineData(0, 0x00000000u, 0xdeadbeefu)]
    [InlineData(1, 0x00000000u, 0xb9c0f036u)]
    [InlineData(2, 0x00000000u, 0x76ccdd71u)]
    [InlineData(3, 0x00000000u, 0xa71025c3u)]
    [InlineData(4, 0x00000000u, 0x44e1a72eu)]
    [InlineData(5, 0x00000000u, 0xcd53084du)]
    [InlineData(6, 0x00000000u, 0x16055da4u)]
    [InlineData(7, 0x00000000u, 0x4f96845fu)]
    [InlineData(8, 0x00000000u, 0x39c60a25u)]
    [InlineData(9, 0x00000000u, 0xa68c01f8u)]
    [InlineData(10, 0x00000000u, 0x98b8e7c6u)]
    [InlineData(11, 0x00000000u, 0x37d9d710u)]
    [InlineData(12, 0x00000000u, 0x387958f9u)]
    [InlineData(13, 0x00000000u, 0x0d543670u)]
    [InlineData(14, 0x00000000u, 0xc23082d0u)]
    [InlineData(15, 0x00000000u, 0x3eb394f6u)]
    [InlineData(16, 0x00000000u, 0x7f4b8ae7u)]
    [InlineData(17, 0x00000000u, 0xe92a9ccfu)]
    [InlineData(23, 0x00000000u, 0x63d5873fu)]
    [InlineData(24, 0x00000000u, 0x2d9723a7u)]
    [InlineData(25, 0x00000000u, 0x43bd1aa6u)]
    [InlineData(33, 0x00000000u, 0x7226434eu)]
    [InlineData(40, 0x00000000u, 0x4e4e072cu)]
    [InlineData(0, 0x00000200u, 0xdeadc0efu)]
    [InlineData(4, 0x00000200u, 0xda9165f8u)]
    [InlineData(12, 0x00000200u, 0x6f463505u)]
    [InlineData(16, 0x00000200u, 0xe9d87eebu)]
    [InlineData(26, 0x00000200u, 0xea5b8a34u)]
    [InlineData(40, 0x00000200u, 0xe3cd67dbu)]
    [InlineData(0, 0x9e3779b9u, 0x7ce538a8u)]
    [InlineData(7, 0x9e3779b9u, 0xceab3a91u)]
    [InlineData(13, 0x9e3779b9u, 0x4b7e2e89u)]
    [InlineData(22, 0x9e3779b9u, 0xf8885c92u)]
    [InlineData(33, 0x9e3779b9u, 0xac7bb0efu)]
    public void Hash_matches_the_kernel(int length, uint initval, uint expected) =>
        Assert.Equal(expected, JenkinsHash.Hash(Key(length), initval));

    [Theory]
    [InlineData("", 0u, 0xdeadbeefu)]
    [InlineData("", 0xdeadbeefu, 0xbd5b7ddeu)]
    [InlineData("Four score and seven years ago", 0u, 0x17770551u)]
    [InlineData("Four score and seven years ago", 1u, 0xcd628161u)]
    public void Hash_matches_lookup3_self_test(string text, uint initval, uint expected) =>
        Assert.Equal(expected, JenkinsHash.Hash(System.Text.Encoding.ASCII.GetBytes(text), initval));

    [Fact]
    public void Word_variants_match_the_kernel()
    {
        Assert.Equal(0x5456cfa7u, JenkinsHash.Hash2Words(0x01020304, 0xa0b0c0d0, 0));
        Assert.Equal(0xc9a8c1eeu, JenkinsHash.Hash2Words(0xffffffff, 0x12345678, 33554944));
        Assert.Equal(0xa46158f5u, JenkinsHash.Hash3Words(1, 2, 3, 0));
        Assert.Equal(0xe61c36f5u, JenkinsHash.Hash3Words(0xdeadbeef, 0xcafebabe, 0x8badf00d, 77));
        Assert.Equal(0x049396b8u, JenkinsHash.Hash1Word(0, 0));
        Assert.Equal(0xe33e5ccbu, JenkinsHash.Hash1Word(0xabcdef01, 12345));
    }

    [Fact]
    public void Two_words_equal_three_words_with_a_zero_third_only_through_the_length_term()
    {
        // jhash_2words and jhash_3words(a, b, 0) differ only by the (n << 2) term of the start value.
        Assert.Equal(JenkinsHash.Hash3Words(7, 9, 0, 100 - 4), JenkinsHash.Hash2Words(7, 9, 100));
    }
}
