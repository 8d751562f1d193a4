using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Forwarder.Packets;

namespace Forwarder.Tests.Packets;

/// <summary>Transport checksums with IPv4 and IPv6 pseudo-headers against the reference, which builds the pseudo-header bytes.</summary>
[SupportedOSPlatform("linux")]
public sealed class ChecksumPseudoHeaderTests
{
    private static ushort HostOrder(ushort asLoaded)
    {
        var bytes = new byte[2];
        MemoryMarshal.Write(bytes, in asLoaded);
        return BinaryPrimitives.ReadUInt16BigEndian(bytes);
    }

    [Theory]
    [InlineData(IpProtocol.Tcp)]
    [InlineData(IpProtocol.Udp)]
    public void Ipv4_segments_match_the_reference(byte protocol)
    {
        var random = new Random(protocol);
        for (int i = 0; i < 10_000; i++)
        {
            byte[] source = new byte[4], destination = new byte[4], segment = new byte[random.Next(8, 200)];
            random.NextBytes(source);
            random.NextBytes(destination);
            random.NextBytes(segment);
            WireAddress s = WireAddress.FromBytes(source), d = WireAddress.FromBytes(destination);

            ushort computed = ChecksumPseudoHeader.ComputeV4(s.V4, d.V4, protocol, segment);

            Assert.Equal(ReferenceChecksum.TransportV4(source, destination, protocol, segment), HostOrder(computed));
        }
    }

    [Theory]
    [InlineData(IpProtocol.Tcp)]
    [InlineData(IpProtocol.Udp)]
    [InlineData(IpProtocol.Icmpv6)]
    public void Ipv6_segments_match_the_reference(byte nextHeader)
    {
        var random = new Random(nextHeader);
        for (int i = 0; i < 10_000; i++)
        {
            byte[] source = new byte[16], destination = new byte[16], segment = new byte[random.Next(8, 200)];
            random.NextBytes(source);
            random.NextBytes(destination);
            random.NextBytes(segment);

            ushort computed = ChecksumPseudoHeader.ComputeV6(WireAddress.FromBytes(source), WireAddress.FromBytes(destination), nextHeader, segment);

            Assert.Equal(ReferenceChecksum.TransportV6(source, destination, nextHeader, segment), HostOrder(computed));
        }
    }

    [Fact]
    public void A_segment_with_its_checksum_filled_in_verifies_and_a_flipped_bit_does_not()
    {
        byte[] frame = FrameBuilder.Ipv6(ParserFixtures.Client6, ParserFixtures.Vip6).Tcp(1, 2, payload: 33).Build();
        WireAddress source = ParserFixtures.Address(ParserFixtures.Client6), destination = ParserFixtures.Address(ParserFixtures.Vip6);
        byte[] segment = frame[54..];

        Assert.True(ChecksumPseudoHeader.IsValidV6(source, destination, IpProtocol.Tcp, segment));
        segment[30] ^= 0x10;
        Assert.False(ChecksumPseudoHeader.IsValidV6(source, destination, IpProtocol.Tcp, segment));

        byte[] udp = FrameBuilder.Ipv4(ParserFixtures.Client4, ParserFixtures.Vip4).Udp(1, 2).Build()[34..];
        WireAddress s4 = ParserFixtures.Address(ParserFixtures.Client4), d4 = ParserFixtures.Address(ParserFixtures.Vip4);
        Assert.True(ChecksumPseudoHeader.IsValidV4(s4.V4, d4.V4, IpProtocol.Udp, udp));
        Assert.False(ChecksumPseudoHeader.IsValidV4(d4.V4, d4.V4, IpProtocol.Udp, udp));
    }
}
