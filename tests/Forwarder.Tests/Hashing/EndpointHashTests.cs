using System.Net;
using System.Runtime.Versioning;
using Forwarder.Hashing;

namespace Forwarder.Tests.Hashing;

/// <summary>
/// folly's IPAddress::hash. The first two values are the compatibility references; the others were
/// computed by an independent C implementation of the same definition (signed-char FNV, hash_128_to_64,
/// the reference SpookyV2.cpp) compiled with g++.
/// </summary>
[SupportedOSPlatform("linux")]
public class EndpointHashTests
{
    [Theory]
    [InlineData("10.0.0.1", 0xd671359dbaa15954UL)]
    [InlineData("fc00::1", 0x64e74a25b986d744UL)]
    [InlineData("10.0.0.2", 0x2cd426d008b90279UL)]
    [InlineData("10.0.0.3", 0x6eb4a2989236785dUL)]
    [InlineData("192.168.1.1", 0x0ffa70e6953d78e6UL)]
    [InlineData("255.255.255.255", 0x8f2a3add05a6d637UL)]
    [InlineData("2001:db8::1", 0xb7af62f1ee061155UL)]
    [InlineData("fe80::211:22ff:fe33:4455", 0x4c950a12e3117c61UL)]
    public void Hash_matches_folly(string address, ulong expected) =>
        Assert.Equal(expected, EndpointHash.Hash(IPAddress.Parse(address)));

    [Theory]
    [InlineData(new byte[] { 10, 0, 0, 1 }, 0xd692f426u)]
    [InlineData(new byte[] { 192, 168, 1, 1 }, 0x33a20e1bu)]
    [InlineData(new byte[] { 255, 255, 255, 255 }, 0x657a2f89u)]
    public void Fnv_xors_bytes_as_signed_chars(byte[] bytes, uint expected) =>
        Assert.Equal(expected, EndpointHash.Fnv32SignedBytes(bytes));

    [Fact]
    public void Hash128To64_matches_folly()
    {
        Assert.Equal(0UL, EndpointHash.Hash128To64(0, 0));
        Assert.Equal(0xd1aa4377fbb56312UL, EndpointHash.Hash128To64(1, 2));
    }

    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("192.168.1.1")]
    public void Ipv4_mapped_ipv6_hashes_as_ipv4(string address)
    {
        IPAddress v4 = IPAddress.Parse(address);
        Assert.Equal(EndpointHash.Hash(v4), EndpointHash.Hash(v4.MapToIPv6()));
    }

    [Fact]
    public void Span_forms_agree_with_the_address_form()
    {
        Assert.Equal(0xd671359dbaa15954UL, EndpointHash.HashV4([10, 0, 0, 1]));
        Assert.Equal(0x64e74a25b986d744UL, EndpointHash.HashV6(IPAddress.Parse("fc00::1").GetAddressBytes()));
        Assert.Throws<ArgumentException>(() => EndpointHash.HashV4([1, 2, 3]));
        Assert.Throws<ArgumentException>(() => EndpointHash.HashV6(new byte[4]));
    }
}
