using System.Net;
using System.Runtime.Versioning;
using Forwarder.DataPlane;
using Forwarder.Packets;

namespace Forwarder.Tests.DataPlane;

/// <summary>
/// <see cref="SourceAllowList"/> against the plain definition — an address is allowed when any prefix of the list
/// covers it, checked prefix by prefix — on random lists of both families: overlapping prefixes, /0, host prefixes,
/// 0 to 8 leading bytes shared by all prefixes, addresses drawn near the prefixes' edges as well as anywhere.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class SourceAllowListTests
{
    [Theory]
    [InlineData(4, 1, 0)]
    [InlineData(4, 2, 0)]
    [InlineData(4, 3, 2)]
    [InlineData(16, 4, 0)]
    [InlineData(16, 5, 0)]
    [InlineData(16, 6, 4)]
    [InlineData(16, 7, 6)]
    [InlineData(16, 8, 8)]
    [InlineData(16, 9, 1)]
    [InlineData(16, 10, 2)]
    [InlineData(16, 11, 3)]
    [InlineData(16, 12, 5)]
    [InlineData(16, 13, 7)]
    public void Random_lists_answer_as_the_linear_reference(int addressBytes, int seed, int sharedBytes)
    {
        var random = new Random(seed);
        IpVersion version = addressBytes == 4 ? IpVersion.V4 : IpVersion.V6;
        for (int round = 0; round < 40; round++)
        {
            var prefixes = RandomPrefixes(random, addressBytes, count: random.Next(1, round < 20 ? 12 : 400));
            if (sharedBytes > 0)
                prefixes = Under(prefixes, prefixes[0].Address, sharedBytes); // one operator prefix over them all
            SourceAllowList list = SourceAllowList.Build(version, prefixes);
            Assert.InRange(list.Bytes, SourceAllowList.RootBytes, SourceAllowList.MaxBytes(prefixes.Select(p => p.Length)));
            for (int probe = 0; probe < 2000; probe++)
            {
                byte[] address = (probe % 3) switch
                {
                    0 => Near(prefixes[random.Next(prefixes.Count)], random),
                    1 => Under([(RandomBytes(random, addressBytes), addressBytes * 8)], prefixes[0].Address, sharedBytes)[0].Address,
                    _ => RandomBytes(random, addressBytes),
                };
                bool expected = prefixes.Any(p => Covers(p, address));
                Assert.True(expected == list.Allows(WireAddress.FromBytes(address)),
                    $"{new IPAddress(address)}: expected {(expected ? "allowed" : "denied")} under {string.Join(", ", prefixes.Select(Text))}");
            }
        }
    }

    [Theory]
    [InlineData("0.0.0.0", 0, "255.255.255.255", true)]
    [InlineData("10.1.2.3", 32, "10.1.2.3", true)]
    [InlineData("10.1.2.3", 32, "10.1.2.2", false)]
    [InlineData("10.0.0.0", 8, "11.0.0.0", false)]
    [InlineData("10.128.0.0", 9, "10.127.255.255", false)]
    [InlineData("10.128.0.0", 9, "10.128.0.1", true)]
    [InlineData("::", 0, "2001:db8::1", true)]
    [InlineData("2001:db8::1", 128, "2001:db8::1", true)]
    [InlineData("2001:db8::1", 128, "2001:db8::", false)]
    [InlineData("2001:db8::", 127, "2001:db8::1", true)]
    [InlineData("2001:db8::", 33, "2001:db8:8000::", false)]
    public void Edges_of_single_prefixes(string network, int length, string address, bool allowed)
    {
        IPAddress net = IPAddress.Parse(network), probe = IPAddress.Parse(address);
        IpVersion version = net.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? IpVersion.V4 : IpVersion.V6;
        SourceAllowList list = SourceAllowList.Build(version, [(net.GetAddressBytes(), length)]);
        Assert.Equal(allowed, list.Allows(WireAddress.FromIPAddress(probe)));
    }

    /// <summary>
    /// Lists mixing a short prefix with one far longer: every lookup makes the longest prefix's number of loads, so an
    /// address whose answer is decided at the first level must keep that answer through the answer blocks.
    /// </summary>
    [Theory]
    [InlineData("10.0.0.0/8 11.1.2.3/32", "10.255.255.255", true)]
    [InlineData("10.0.0.0/8 11.1.2.3/32", "11.1.2.3", true)]
    [InlineData("10.0.0.0/8 11.1.2.3/32", "11.1.2.2", false)]
    [InlineData("10.0.0.0/8 11.1.2.3/32", "12.0.0.0", false)]
    [InlineData("0.0.0.0/0 11.1.2.3/32", "12.0.0.0", true)]
    [InlineData("2001:db8::/32 2001:db8:1:2:3:4:5:6/128", "2001:db8:ffff::1", true)]
    [InlineData("2001:db8::/48 2001:db8:1:2:3:4:5:6/128", "2001:db8:1:2:3:4:5:7", false)]
    [InlineData("2001:db8::/48 2001:db8:1:2:3:4:5:6/128", "2001:db8:1:2:3:4:5:6", true)]
    [InlineData("2001:db8::/48 2001:db8:1:2:3:4:5:6/128", "2001:db8:0:ffff:ffff:ffff:ffff:ffff", true)]
    [InlineData("2001:db8::/48 2001:db8:1:2:3:4:5:6/128", "2001:db9::", false)]
    [InlineData("::/0 2001:db8:1:2:3:4:5:6/128", "3001::1", true)]
    [InlineData("2001:db8:1:2::/64 2001:db8:1:2:3:4:5:6/128", "2001:db8:1:2:ffff::", true)]
    [InlineData("2001:db8:1:2::/64 2001:db8:1:2:3:4:5:6/128", "2001:db8:1:3::", false)]
    [InlineData("2001:db8:1:2:8000::/65 2001:db8:1:2:3:4:5:6/128", "2001:db8:1:2:7fff::", false)]
    public void Short_and_long_prefixes_together(string list, string address, bool allowed)
    {
        var prefixes = list.Split(' ').Select(p => (IPAddress.Parse(p.Split('/')[0]).GetAddressBytes(), int.Parse(p.Split('/')[1]))).ToArray();
        IpVersion version = prefixes[0].Item1.Length == 4 ? IpVersion.V4 : IpVersion.V6;
        Assert.Equal(allowed, SourceAllowList.Build(version, prefixes).Allows(WireAddress.FromIPAddress(IPAddress.Parse(address))));
    }

    [Fact]
    public void Host_bits_or_the_other_family_are_refused()
    {
        Assert.Throws<ArgumentException>(() => SourceAllowList.Build(IpVersion.V4, [([10, 0, 0, 1], 8)]));
        Assert.Throws<ArgumentException>(() => SourceAllowList.Build(IpVersion.V6, [([10, 0, 0, 0], 8)]));
        Assert.Throws<ArgumentException>(() => SourceAllowList.Build(IpVersion.V4, [([10, 0, 0, 0], 33)]));
    }

    [Fact]
    public void Memory_is_the_first_level_and_one_block_per_8_bits_past_16()
    {
        Assert.Equal(SourceAllowList.RootBytes, SourceAllowList.Build(IpVersion.V4, [([10, 0, 0, 0], 8)]).Bytes);
        Assert.Equal(SourceAllowList.RootBytes + 2 * SourceAllowList.BlockBytes, SourceAllowList.Build(IpVersion.V4, [([10, 1, 2, 3], 32)]).Bytes);
        byte[] host = IPAddress.Parse("2001:db8::1").GetAddressBytes();
        // One /128 alone: its first 8 bytes are compared whole, the trie indexes the last 8.
        Assert.Equal(SourceAllowList.RootBytes + 6 * SourceAllowList.BlockBytes, SourceAllowList.Build(IpVersion.V6, [(host, 128)]).Bytes);
        byte[] other = IPAddress.Parse("3001:db8::1").GetAddressBytes();
        Assert.Equal(SourceAllowList.RootBytes + 28 * SourceAllowList.BlockBytes, SourceAllowList.Build(IpVersion.V6, [(host, 128), (other, 128)]).Bytes);
        // Covered by a shorter prefix: no block at all.
        Assert.Equal(SourceAllowList.RootBytes, SourceAllowList.Build(IpVersion.V6, [(host, 128), (new byte[16], 0)]).Bytes);
    }

    private static List<(byte[] Address, int Length)> RandomPrefixes(Random random, int addressBytes, int count)
    {
        int bits = addressBytes * 8;
        var prefixes = new List<(byte[] Address, int Length)>();
        byte[] anchor = RandomBytes(random, addressBytes); // many prefixes share a start, so they overlap
        for (int i = 0; i < count; i++)
        {
            int length = random.Next(10) switch
            {
                0 => 0,
                1 => bits,
                2 => random.Next(0, 17),
                _ => random.Next(8, bits + 1),
            };
            if (length == 0 && random.Next(4) != 0)
                length = 1 + random.Next(bits); // /0 allows everything: keep it rare
            byte[] address = random.Next(2) == 0 ? (byte[])anchor.Clone() : RandomBytes(random, addressBytes);
            if (random.Next(3) == 0)
                address[^1] ^= (byte)random.Next(256);
            prefixes.Add((Masked(address, length), length));
        }
        return prefixes;
    }

    /// <summary>The prefixes with their first <paramref name="bytes"/> bytes those of <paramref name="top"/>, each at least that long.</summary>
    private static List<(byte[] Address, int Length)> Under(List<(byte[] Address, int Length)> prefixes, byte[] top, int bytes) =>
        prefixes.Select(p =>
        {
            int length = Math.Max(p.Length, bytes * 8);
            byte[] address = (byte[])p.Address.Clone();
            top.AsSpan(0, bytes).CopyTo(address);
            return (Masked(address, length), length);
        }).ToList();

    /// <summary>An address just inside or just outside the prefix: its network with a few low bits of the prefix or the host part flipped.</summary>
    private static byte[] Near((byte[] Address, int Length) prefix, Random random)
    {
        byte[] address = (byte[])prefix.Address.Clone();
        int bits = address.Length * 8;
        int flip = Math.Clamp(prefix.Length - 1 + random.Next(3), 0, bits - 1);
        if (random.Next(2) == 0)
            address[flip / 8] ^= (byte)(0x80 >> (flip % 8));
        for (int bit = prefix.Length; bit < bits; bit++)
        {
            if (random.Next(2) == 0)
                address[bit / 8] ^= (byte)(0x80 >> (bit % 8));
        }
        return address;
    }

    private static bool Covers((byte[] Address, int Length) prefix, byte[] address)
    {
        for (int bit = 0; bit < prefix.Length; bit++)
        {
            int mask = 0x80 >> (bit % 8);
            if ((prefix.Address[bit / 8] & mask) != (address[bit / 8] & mask))
                return false;
        }
        return true;
    }

    private static byte[] Masked(byte[] address, int length)
    {
        for (int bit = length; bit < address.Length * 8; bit++)
            address[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        return address;
    }

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string Text((byte[] Address, int Length) prefix) => $"{new IPAddress(prefix.Address)}/{prefix.Length}";
}
