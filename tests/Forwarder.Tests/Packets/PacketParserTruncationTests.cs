using System.Runtime.Versioning;
using Forwarder.Packets;

namespace Forwarder.Tests.Packets;

/// <summary>
/// Frames cut at every byte offset, each copied so that its last byte sits right before a guard page:
/// every prefix is a drop with a reason, and none is read past its end (that would crash the run).
/// </summary>
[SupportedOSPlatform("linux")]
public sealed unsafe class PacketParserTruncationTests : IDisposable
{
    private readonly GuardedBuffer _buffer = new(16 * 1024);

    public static TheoryData<string> WholeFrames()
    {
        var names = new TheoryData<string>();
        foreach (ParserFixture fixture in ParserFixtures.All.Where(f => f.EndsWithIpPacket))
            names.Add(fixture.Name);
        return names;
    }

    [Fact]
    public void Several_kinds_of_frame_are_cut()
    {
        int whole = ParserFixtures.All.Count(f => f.EndsWithIpPacket);
        Assert.True(whole >= 20, $"only {whole} fixtures end with their IP packet");
    }

    [Theory]
    [MemberData(nameof(WholeFrames))]
    public void Every_prefix_of_a_frame_is_a_counted_drop(string name)
    {
        byte[] frame = ParserFixtures.Get(name).Frame;
        for (int length = 0; length < frame.Length; length++)
        {
            ReadOnlySpan<byte> prefix = frame.AsSpan(0, length);
            DropReason verdict = PacketParser.Parse(_buffer.PlaceAtEnd(prefix), (uint)length, out ParsedPacket packet);

            Assert.Equal(length < 14 ? DropReason.FrameTooShort : DropReason.Truncated, verdict);
            Assert.Equal(PacketKind.None, packet.Kind);
        }
        Assert.Equal(DropReason.None, PacketParser.Parse(_buffer.PlaceAtEnd(frame), (uint)frame.Length, out _));
    }

    [Theory]
    [InlineData(IpProtocol.Tcp, 0)]
    [InlineData(IpProtocol.Udp, 0)]
    [InlineData(IpProtocol.Tcp, 3)]
    public void An_icmpv4_error_parses_once_its_quote_reaches_the_ports(byte protocol, int optionWords)
    {
        int portsEnd = 20 + optionWords * 4 + 4;
        for (int quoted = 0; quoted <= portsEnd + 30; quoted++)
        {
            byte[] frame = FrameBuilder.Ipv4(ParserFixtures.Router4, ParserFixtures.Vip4)
                .Icmp(3, 4, IcmpFixtures.QuotedV4(protocol, quoted, optionWords)).Build();

            DropReason verdict = PacketParser.Parse(_buffer.PlaceAtEnd(frame), (uint)frame.Length, out ParsedPacket packet);

            Assert.Equal(quoted >= portsEnd ? DropReason.None : DropReason.Truncated, verdict);
            if (verdict == DropReason.None)
                Assert.Equal(PacketKind.IcmpError, packet.Kind);
        }
    }

    [Fact]
    public void An_icmpv6_error_parses_once_its_quote_reaches_the_ports()
    {
        FrameBuilder vipToClient = FrameBuilder.Ipv6(ParserFixtures.Vip6, ParserFixtures.Client6)
            .Extension(IpProtocol.HopByHopOptions).Extension(IpProtocol.DestinationOptions, 2).Udp(53, 40000);
        const int portsEnd = 40 + 8 + 24 + 4;
        for (int quoted = 0; quoted <= portsEnd + 10; quoted++)
        {
            byte[] frame = FrameBuilder.Ipv6(ParserFixtures.Router6, ParserFixtures.Vip6)
                .Icmpv6(2, 0, IcmpFixtures.QuotedV6(vipToClient, quoted), rest: 1280).Build();

            DropReason verdict = PacketParser.Parse(_buffer.PlaceAtEnd(frame), (uint)frame.Length, out ParsedPacket packet);

            Assert.Equal(quoted >= portsEnd ? DropReason.None : DropReason.Truncated, verdict);
            if (verdict == DropReason.None)
                Assert.Equal(40000, packet.SourcePort);
        }
    }

    public void Dispose() => _buffer.Dispose();
}
