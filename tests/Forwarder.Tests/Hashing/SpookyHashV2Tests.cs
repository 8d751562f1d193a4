using System.Runtime.Versioning;
using Forwarder.Hashing;

namespace Forwarder.Tests.Hashing;

/// <summary>
/// Known answers from Bob Jenkins' reference SpookyV2.cpp compiled with g++, over messages with
/// byte i = (byte)(i * 37 + 11): seeds (0, 0) and (0x0123456789abcdef, 0xfedcba9876543210). Lengths
/// cover the short path's every branch and the long path (192 bytes and more).
/// </summary>
[SupportedOSPlatform("linux")]
public class SpookyHashV2Tests
{
    private static byte[] Message(int length) => Enumerable.Range(0, length).Select(i => (byte)(i * 37 + 11)).ToArray();

    [Theory]
    [InlineData(0, 0x232706fc6bf50919UL, 0x8b72ee65b4e851c7UL, 0x9650bc819f542799UL, 0xf0d126948b81e07fUL)]
    [InlineData(1, 0xfdf03f88bcf5da72UL, 0x440345678a9ae96aUL, 0x5d9b77c96215a165UL, 0x290ff0f236cad73fUL)]
    [InlineData(3, 0xbf057f2c7914b9ccUL, 0xa83137ce467e224eUL, 0x48a48bdd27c7ce0dUL, 0x301c92f7e025952eUL)]
    [InlineData(7, 0xc9d3e5dd359009d7UL, 0x9696d9e8bdfa7e8cUL, 0x8e3c09f748f1232fUL, 0x6ba7d61af146126dUL)]
    [InlineData(8, 0xe9ea44896ff885e6UL, 0x805aea785adcaca3UL, 0xec9b1ec3df170c1dUL, 0xe79806e0120212a1UL)]
    [InlineData(9, 0xb868b8013ac830b4UL, 0xcd2853a09086183dUL, 0x60cbbc87b1883686UL, 0x5ea692039fef6244UL)]
    [InlineData(12, 0x31a8b16c94787304UL, 0x957ada3724f09804UL, 0xf82431a22e08361bUL, 0x48d07c33094e7d34UL)]
    [InlineData(15, 0x0b27cadce7911a15UL, 0xafd8fa488ce98414UL, 0x084612ea06f9f2c8UL, 0xb95250b03d9f48b1UL)]
    [InlineData(16, 0xc224f1abd986f0e9UL, 0x71d2f73a620c8555UL, 0x60402f708a710328UL, 0xafa9a546857150b0UL)]
    [InlineData(17, 0x2967362d794f7832UL, 0xecba24af546b107bUL, 0x4504b13d5b328a27UL, 0x7c7f82fe6385e742UL)]
    [InlineData(31, 0x1627d7f01b2dd9d7UL, 0x11bd371ac45ecea7UL, 0xf0f6798efaba4ff9UL, 0x91508be3e5194a5cUL)]
    [InlineData(32, 0xe1fb2ff02aeaf41eUL, 0xa39ed57ac2033d06UL, 0xe908c0db14f12e43UL, 0xa065958fdb1041b9UL)]
    [InlineData(33, 0x983ec3a3cb0b2984UL, 0x4a1fbed45b35206bUL, 0x2e6370361a49cda1UL, 0xfa66901e8262e218UL)]
    [InlineData(47, 0xca0fbc419afeee0fUL, 0xdd27698d0d1a0d09UL, 0x0253cad48d021428UL, 0x64820ae20d01424aUL)]
    [InlineData(48, 0x243e63daf396a568UL, 0xc57d9c592b430219UL, 0x33497eb0d65ac25dUL, 0xa0e0ed69b46dd06eUL)]
    [InlineData(63, 0x79e332db1a3dc309UL, 0xef2de3a32b2e1b71UL, 0xed9d0ce8cf4c1a6eUL, 0xdc73d88113cc8a87UL)]
    [InlineData(64, 0x3eb471277ab07382UL, 0xd663f9aba5dab840UL, 0x11de03132f3baa95UL, 0x4822715daef379c0UL)]
    [InlineData(95, 0xcbf10e2aa2dac919UL, 0x08e34086e8a2ab5cUL, 0x606aca63ed7be5eaUL, 0xfaedc2e9380e470cUL)]
    [InlineData(96, 0xb406ada71ee586c4UL, 0x62fd2d6b3a58be55UL, 0xce6107bae1c148b0UL, 0x95aad10166fd5d07UL)]
    [InlineData(191, 0x2a6d3a575ee1082aUL, 0x573fd58912f9b7f5UL, 0xee41738652b51005UL, 0x47783303a8db2793UL)]
    [InlineData(192, 0x0907e64f76e462fdUL, 0xda62f18036cba74bUL, 0xe369d252adbbb8cfUL, 0x9d2a0c628dd9e13bUL)]
    [InlineData(193, 0x69f2af757102e549UL, 0x8d499e7a7dcd5479UL, 0x98e8ad4f32af6a4dUL, 0x1b2b18c9b98e06caUL)]
    [InlineData(200, 0xeb852b859f0c9f45UL, 0xeb6c4d131035b48aUL, 0xf4778e92780e6da4UL, 0xf67c145cbb4a1716UL)]
    [InlineData(287, 0xb1f46bfc1a281167UL, 0xd31e7b67482d7bd4UL, 0xfa89dded15085b64UL, 0x055724e11263b6d4UL)]
    [InlineData(288, 0xcfa8a9abef50454cUL, 0xdce22b960a93afb1UL, 0xeb544023691c4df2UL, 0xe04f9f9edd1e53c9UL)]
    [InlineData(300, 0x0f79a765f2bb6b15UL, 0x2f751c17f64ad611UL, 0xe969e7d37f426acfUL, 0xa607c3d1696458bcUL)]
    [InlineData(383, 0x36da48844ff21e55UL, 0xdb9a9c01a2277dd3UL, 0x55903c415e6bfa5bUL, 0x0855e3a4317ca270UL)]
    public void Hash128_matches_the_reference(int length, ulong zeroSeed1, ulong zeroSeed2, ulong seeded1, ulong seeded2)
    {
        byte[] message = Message(length);
        Assert.Equal((zeroSeed1, zeroSeed2), SpookyHashV2.Hash128(message, 0, 0));
        Assert.Equal((seeded1, seeded2), SpookyHashV2.Hash128(message, 0x0123456789abcdef, 0xfedcba9876543210));
    }

    [Fact]
    public void Hash128_of_an_ipv6_address_matches_the_reference()
    {
        byte[] address = System.Net.IPAddress.Parse("fc00::1").GetAddressBytes();
        Assert.Equal((0x0563a7577df4bd83UL, 0x0e65df2e93f8eb27UL), SpookyHashV2.Hash128(address, 0, 0));
    }
}
