using System.Buffers.Binary;
using System.Net;
using System.Runtime.Versioning;
using Forwarder.Packets;
using Forwarder.Tests.Rewrite;

namespace Forwarder.Tests.Testing;

/// <summary>The shared frame builder's encapsulations, header fields and padding, checked byte by byte and by the reference checksums.</summary>
[SupportedOSPlatform("linux")]
public sealed class FrameBuilderTests
{
    private static readonly byte[] Inner = FrameBuilder.Ip(IPAddress.Parse("192.168.1.1"), IPAddress.Parse("10.100.0.1"))
        .Udp(40000, 80, "inner datagram"u8).BuildIpPacket();

    [Fact]
    public void Ipip_puts_the_inner_packet_behind_an_outer_header_of_protocol_4_or_41()
    {
        byte[] v4InV4 = FrameBuilder.Ip(IPAddress.Parse("10.0.0.254"), IPAddress.Parse("10.0.0.1")).Ipip(Inner).BuildIpPacket();
        byte[] v6InV4 = FrameBuilder.Ip(IPAddress.Parse("10.0.0.254"), IPAddress.Parse("10.0.0.1"))
            .Ipip(FrameBuilder.Ipv6("fc00::1", "fc00::100").Udp(1, 2).BuildIpPacket()).BuildIpPacket();

        Assert.Equal(FrameBuilder.IpInIp, v4InV4[9]);
        Assert.Equal(FrameBuilder.Ipv6InIp, v6InV4[9]);
        Assert.Equal(Inner, v4InV4[20..]);
        Assert.Equal(3, WireChecksums.AssertValid(FrameBuilder.Ethernet(FrameBuilder.DestinationMac, FrameBuilder.SourceMac, v4InV4)));
    }

    [Fact]
    public void Gue_carries_the_inner_packet_as_the_whole_udp_payload_with_every_checksum_right()
    {
        byte[] frame = FrameBuilder.Ip(IPAddress.Parse("fc00::fe"), IPAddress.Parse("fc00::1")).Gue(51234, 6080, Inner).Build();

        Assert.Equal(Inner, frame[(14 + 40 + 8)..]);
        Assert.Equal(6080, BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(14 + 40 + 2)));
        Assert.Equal(3, WireChecksums.AssertValid(frame, guePort: 6080));
    }

    [Fact]
    public void Header_fields_macs_and_padding_are_as_set()
    {
        byte[] destination = [0x02, 0, 0, 0, 0, 0x0a], source = [0x02, 0, 0, 0, 0, 0x20];
        byte[] frame = FrameBuilder.Ipv4("10.0.0.1", "10.0.0.2").Macs(destination, source).Identification(0xBEEF)
            .Tcp(1000, 80, TcpFlags.Syn, sequence: 7, acknowledgment: 9, window: 64240, data: [])
            .MinimumLength(60).Build();

        Assert.Equal(60, frame.Length);
        Assert.Equal(destination, frame[..6]);
        Assert.Equal(source, frame[6..12]);
        Assert.Equal(0xBEEF, BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(18)));
        Assert.Equal(7u, BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan(38)));
        Assert.Equal(9u, BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan(42)));
        Assert.Equal(64240, BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(48)));
        Assert.Equal(new byte[6], frame[54..]);
        Assert.Equal(2, WireChecksums.AssertValid(frame, padded: true));
    }

    [Fact]
    public void Without_a_transport_checksum_the_field_stays_zero_and_the_flow_label_is_as_set()
    {
        byte[] v4 = FrameBuilder.Ipv4("10.0.0.1", "10.0.0.2").Udp(1, 2, new byte[4]).WithoutTransportChecksum().Build();
        byte[] v6 = FrameBuilder.Ipv6("fc00::1", "fc00::2").FlowLabel(0xABCDE).Udp(1, 2).Build();

        Assert.Equal(0, BinaryPrimitives.ReadUInt16BigEndian(v4.AsSpan(14 + 20 + 6)));
        Assert.Equal(0xABCDEu, BinaryPrimitives.ReadUInt32BigEndian(v6.AsSpan(14)) & 0xFFFFF);
    }
}
