using System.Runtime.Versioning;
using Forwarder.Packets;
using Forwarder.Rewrite;
using Forwarder.Tests.Packets;
using static Forwarder.Tests.Packets.ParserFixtures;

namespace Forwarder.Tests.Rewrite;

/// <summary>A packet too big to encapsulate becomes, in place, the ICMP answer to its sender.</summary>
[SupportedOSPlatform("linux")]
public sealed unsafe class IcmpTooBigTests : IDisposable
{
    private const int Mtu = 1480;
    private readonly GuardedChunk _chunk = new();

    public static TheoryData<string> Cases() => new(Answered.Keys);

    private static readonly Dictionary<string, byte[]> Answered = new()
    {
        ["v4 udp with DF, quoted whole"] = FrameBuilder.Ipv4(Client4, Vip4).Udp(31337, 80).Build(),
        ["v4 tcp of 1500 bytes, quote cut to 548 bytes"] = FrameBuilder.Ipv4(Client4, Vip4).Tcp(31337, 80, payload: 1460).Build(),
        ["v4 tcp of exactly 548 bytes, quoted whole"] = FrameBuilder.Ipv4(Client4, Vip4).Tcp(31337, 80, payload: 508).Build(),
        ["v4 udp with options, 802.1Q tag and link padding"] = FrameBuilder.Ipv4(Client4, Vip4).Ipv4Options(2).Vlan(0x2064).Udp(31337, 80, payload: 0).Padding(8).Build(),
        ["v4 echo request with DF"] = FrameBuilder.Ipv4(Client4, Vip4).Icmp(8, 0, new byte[1400], rest: 0x00010001).Build(),
        ["v6 udp, quoted whole"] = FrameBuilder.Ipv6(Client6, Vip6).Udp(50000, 443).Build(),
        ["v6 tcp of 1500 bytes behind extension headers, quote cut to 1232 bytes"] =
            FrameBuilder.Ipv6(Client6, Vip6).Extension(IpProtocol.HopByHopOptions).Tcp(50000, 443, payload: 1432).Build(),
        ["v6 tcp behind an 802.1ad tag"] = FrameBuilder.Ipv6(Client6, Vip6).Vlan(77, EtherType.ServiceVlan).Tcp(50000, 443, payload: 1300).Build(),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_frame_becomes_the_answer_to_its_sender(string name)
    {
        byte[] frame = Answered[name];
        ParsedPacket packet = _chunk.LoadParsed(frame);
        ulong received = _chunk.Batch.Address[0];

        DropReason verdict = IcmpTooBig.Answer(_chunk.Batch, 0, packet, Mtu);

        Assert.Equal(DropReason.None, verdict);
        _chunk.AssertGuardsIntact();
        byte[] output = _chunk.Output();
        Assert.Equal(Convert.ToHexString(ExpectedIcmpTooBig.Answer(frame, Mtu)), Convert.ToHexString(output));
        Assert.InRange(output.Length - packet.L3Offset, 0, packet.Version == IpVersion.V4 ? 576 : 1280);
        Assert.True(WireChecksums.AssertValid(output) >= (packet.Version == IpVersion.V4 ? 3 : 1));
        // The received IP header was not moved: it is the start of the quote.
        Assert.Equal(received + (ulong)packet.L3Offset, _chunk.Batch.Address[0] + (ulong)(packet.L3Offset + (packet.Version == IpVersion.V4 ? 28 : 48)));
    }

    [Fact]
    public void Ipv4_answer_bytes_are_as_worked_out_by_hand()
    {
        byte[] frame = FrameBuilder.Ipv4(Client4, Vip4).Udp(31337, 80, payload: 0).Build();
        ParsedPacket packet = _chunk.LoadParsed(frame);

        IcmpTooBig.Answer(_chunk.Batch, 0, packet, 1480);

        // MACs swapped. IP: ToS C0, 56 = 20 + 8 + 28 bytes, ID 0, no DF, TTL 64, ICMP, 10.0.0.100 → 192.168.1.1,
        // checksum ~(45c0+0038+4001+0a00+0064+c0a8+0101) = 0xADF8.
        // ICMP: type 3 code 4, checksum 0xC35A over the message, unused 0, next-hop MTU 1480 = 0x05C8; then the 28 received bytes.
        const string expected = "020000000002" + "020000000001" + "0800"
            + "45C00038" + "00000000" + "4001ADF8" + "0A000064" + "C0A80101"
            + "0304C35A" + "000005C8";
        Assert.Equal(expected + Convert.ToHexString(frame.AsSpan(14, 28)), Convert.ToHexString(_chunk.Output()));
    }

    [Fact]
    public void Ipv4_without_DF_is_dropped_as_too_big_and_left_alone()
    {
        AssertRefused(FrameBuilder.Ipv4(Client4, Vip4).Ipv4Fragment(0).Udp(31337, 80, payload: 1400).Build(), DropReason.PacketTooBig);
    }

    [Fact]
    public void An_icmp_error_is_never_answered_with_one()
    {
        AssertRefused(FrameBuilder.Ipv4(Router4, Vip4).Icmp(3, 4, IcmpFixtures.QuotedV4(IpProtocol.Tcp, 28), rest: 1400).Build(), DropReason.PacketTooBig);
        AssertRefused(FrameBuilder.Ipv6(Router6, Vip6).Icmpv6(2, 0, IcmpFixtures.QuotedV6(FrameBuilder.Ipv6(Vip6, Client6).Tcp(443, 50000))).Build(),
            DropReason.PacketTooBig);
    }

    [Theory]
    [InlineData(IpVersion.V4, 27)]
    [InlineData(IpVersion.V6, 47)]
    public void Too_little_headroom_is_refused_and_leaves_the_frame_alone(IpVersion version, int headroom)
    {
        byte[] frame = version == IpVersion.V4
            ? FrameBuilder.Ipv4(Client4, Vip4).Tcp(31337, 80, payload: 1400).Build()
            : FrameBuilder.Ipv6(Client6, Vip6).Tcp(31337, 80, payload: 1400).Build();
        AssertRefused(frame, DropReason.NoHeadroom, headroom);
    }

    [Theory]
    [InlineData(IpVersion.V4, 28)]
    [InlineData(IpVersion.V6, 48)]
    public void Exactly_enough_headroom_puts_the_answer_at_the_chunk_start(IpVersion version, int headroom)
    {
        byte[] frame = version == IpVersion.V4
            ? FrameBuilder.Ipv4(Client4, Vip4).Vlan(3).Tcp(31337, 80, payload: 1400).Build()
            : FrameBuilder.Ipv6(Client6, Vip6).Vlan(3).Tcp(31337, 80, payload: 1400).Build();
        ParsedPacket packet = _chunk.LoadParsed(frame, headroom);

        Assert.Equal(DropReason.None, IcmpTooBig.Answer(_chunk.Batch, 0, packet, 1280));

        Assert.Equal(GuardedChunk.ChunkAddress, _chunk.Batch.Address[0]);
        _chunk.AssertGuardsIntact();
        Assert.Equal(Convert.ToHexString(ExpectedIcmpTooBig.Answer(frame, 1280)), Convert.ToHexString(_chunk.Output()));
    }

    private void AssertRefused(byte[] frame, DropReason expected, int headroom = 256)
    {
        ParsedPacket packet = _chunk.LoadParsed(frame, headroom);
        byte[] before = _chunk.Chunk();
        ulong address = _chunk.Batch.Address[0];
        uint length = _chunk.Batch.Length[0];

        Assert.Equal(expected, IcmpTooBig.Answer(_chunk.Batch, 0, packet, Mtu));

        Assert.Equal(before, _chunk.Chunk());
        Assert.Equal(address, _chunk.Batch.Address[0]);
        Assert.Equal(length, _chunk.Batch.Length[0]);
        _chunk.AssertGuardsIntact();
    }

    public void Dispose() => _chunk.Dispose();
}
