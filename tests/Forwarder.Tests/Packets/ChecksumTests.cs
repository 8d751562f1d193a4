using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Forwarder.Packets;

namespace Forwarder.Tests.Packets;

/// <summary>The full Internet checksum and the IPv4 header checksum against RFC examples and the plain reference.</summary>
[SupportedOSPlatform("linux")]
public sealed class ChecksumTests
{
    /// <summary>Stores a checksum the way the data path does (native store) and returns the wire bytes.</summary>
    private static byte[] WireBytes(ushort checksum)
    {
        var bytes = new byte[2];
        MemoryMarshal.Write(bytes, in checksum);
        return bytes;
    }

    private static ushort HostOrder(ushort asLoaded) => BinaryPrimitives.ReadUInt16BigEndian(WireBytes(asLoaded));

    [Fact]
    public void Rfc1071_numerical_example_sums_to_ddf2()
    {
        // RFC 1071 §3: the bytes 00 01 f2 03 f4 f5 f6 f7 have the ones' complement sum dd f2.
        byte[] data = [0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7];

        Assert.Equal(new byte[] { 0xdd, 0xf2 }, WireBytes(Checksum.Fold(Checksum.Add(0, data))));
        Assert.Equal(new byte[] { 0x22, 0x0d }, WireBytes(Checksum.Compute(data)));
    }

    [Fact]
    public void A_known_ipv4_header_has_checksum_b861()
    {
        byte[] header = Convert.FromHexString("450000730000400040110000c0a80001c0a800c7");

        Assert.Equal(0xb861, HostOrder(Checksum.Ipv4Header(header)));
        Checksum.WriteIpv4Header(header);
        Assert.Equal(0xb861, BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(10)));
        Assert.True(Checksum.IsValid(header));
    }

    [Fact]
    public void The_ipv4_header_checksum_ignores_what_is_in_the_checksum_field()
    {
        byte[] header = Convert.FromHexString("450000730000400040114321c0a80001c0a800c7");
        Assert.Equal(0xb861, HostOrder(Checksum.Ipv4Header(header)));
    }

    [Fact]
    public void Every_length_and_alignment_matches_the_reference()
    {
        var random = new Random(1071);
        var buffer = new byte[300];
        for (int round = 0; round < 20; round++)
        {
            random.NextBytes(buffer);
            if (round == 0)
                buffer.AsSpan().Fill(0xFF); // the largest words: carries on every addition
            for (int start = 0; start < 8; start++)
            {
                for (int length = 0; length <= buffer.Length - start; length += start + 1)
                {
                    ReadOnlySpan<byte> data = buffer.AsSpan(start, length);
                    Assert.Equal(ReferenceChecksum.Compute(data), HostOrder(Checksum.Compute(data)));
                }
            }
        }
    }

    [Fact]
    public void Ipv4_headers_with_options_match_the_reference()
    {
        var random = new Random(791);
        for (int i = 0; i < 10_000; i++)
        {
            int words = random.Next(5, 16);
            var header = new byte[words * 4];
            random.NextBytes(header);
            header[0] = (byte)(0x40 | words);

            ushort computed = HostOrder(Checksum.Ipv4Header(header));

            header[10] = header[11] = 0;
            Assert.Equal(ReferenceChecksum.Compute(header), computed);
            BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(10), computed);
            Assert.True(Checksum.IsValid(header));
        }
    }

    [Fact]
    public void Sums_of_even_pieces_add_up()
    {
        var random = new Random(2);
        var data = new byte[101];
        random.NextBytes(data);
        ulong sum = Checksum.Add(0, data.AsSpan(0, 10));
        sum = Checksum.Add(sum, data.AsSpan(10, 64));
        sum = Checksum.Add(sum, data.AsSpan(74));
        Assert.Equal(Checksum.Compute(data), Checksum.Finish(sum));
    }

    [Fact]
    public void Zero_data_checksums_to_ffff_and_a_zero_udp_checksum_is_sent_as_ffff()
    {
        Assert.Equal(0xFFFF, Checksum.Compute(new byte[20]));
        Assert.Equal(0xFFFF, Checksum.ForUdp(0));
        Assert.Equal(0x1234, Checksum.ForUdp(0x1234));
    }

    [Fact]
    public void Malformed_ipv4_header_spans_are_refused()
    {
        Assert.Throws<ArgumentException>(() => Checksum.Ipv4Header(new byte[19]));
        Assert.Throws<ArgumentException>(() => Checksum.Ipv4Header(Convert.FromHexString("460000730000400040110000c0a80001c0a800c7")));
        Assert.Throws<ArgumentException>(() => Checksum.Ipv4Header(Convert.FromHexString("440000730000400040110000c0a80001c0a800c7")));
    }
}
