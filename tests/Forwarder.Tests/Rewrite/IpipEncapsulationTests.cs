using System.Runtime.Versioning;
using Forwarder.Packets;
using Forwarder.Rewrite;
using Forwarder.Tests.Packets;
using static Forwarder.Tests.Packets.ParserFixtures;

namespace Forwarder.Tests.Rewrite;

/// <summary>IP-in-IP: Katran's outer header in the headroom, the received IP packet unmoved and unchanged.</summary>
[SupportedOSPlatform("linux")]
public sealed unsafe class IpipEncapsulationTests : IDisposable
{
    private readonly GuardedChunk _chunk = new();

    public static TheoryData<string> Cases() => EncapsulationCase.Names();

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_frame_becomes_the_expected_outer_header_around_the_received_ip_packet(string name)
    {
        EncapsulationCase c = EncapsulationCase.Get(name);
        ParsedPacket packet = _chunk.LoadParsed(c.Frame);
        int innerChecksums = WireChecksums.AssertValid(c.Frame, padded: true);
        ulong received = _chunk.Batch.Address[0];

        DropReason verdict = IpipEncapsulation.Apply(_chunk.Batch, 0, packet, packet.SourcePort, Address(c.Backend), FrameView.VersionOf(c.Backend), TestMacs.ToNextHop);

        Assert.Equal(DropReason.None, verdict);
        _chunk.AssertGuardsIntact();
        byte[] output = _chunk.Output();
        Assert.Equal(Convert.ToHexString(ExpectedEncapsulation.Ipip(c.Frame, c.Client, c.ClientPort, c.Backend)), Convert.ToHexString(output));
        int outerChecksums = FrameView.VersionOf(c.Backend) == IpVersion.V4 ? 1 : 0;
        Assert.Equal(innerChecksums + outerChecksums, WireChecksums.AssertValid(output));
        // The inner packet was not moved: the output ends where the received IP packet ended (padding cut off).
        Assert.Equal(received + (ulong)packet.IpEnd, _chunk.Batch.Address[0] + (ulong)output.Length);
    }

    [Fact]
    public void Ipv4_in_ipv4_bytes_are_as_worked_out_by_hand()
    {
        byte[] frame = FrameBuilder.Ipv4(Client4, Vip4).Udp(31337, 80).Build();
        ParsedPacket packet = _chunk.LoadParsed(frame);

        IpipEncapsulation.Apply(_chunk.Batch, 0, packet, packet.SourcePort, Address("10.0.0.2"), IpVersion.V4, TestMacs.ToNextHop);

        // 66 = 20 + 46; DF from the inner packet; TTL 64, protocol 4; checksum ~(4500+0042+4000+4004+ac10+687b+0a00+0002).
        const string outer = "02BB00000007" + "02AA00000001" + "0800"
            + "45000042" + "00004000" + "40041C2B" + "AC10687B" + "0A000002";
        Assert.Equal(outer + Convert.ToHexString(frame.AsSpan(14)), Convert.ToHexString(_chunk.Output()));
    }

    [Fact]
    public void Ipv4_in_ipv6_bytes_are_as_worked_out_by_hand()
    {
        byte[] frame = FrameBuilder.Ipv4(Client4, Vip4).Udp(31337, 80).Build();
        ParsedPacket packet = _chunk.LoadParsed(frame);

        IpipEncapsulation.Apply(_chunk.Batch, 0, packet, packet.SourcePort, Address("fc00::2"), IpVersion.V6, TestMacs.ToNextHop);

        // Payload 46, next header 4, hop limit 64; source 100::/64 then 0000:0000 and
        // (c0 ^ 7a).(a8 ^ 69).01.01 for client 192.168.1.1 port 31337 (0x7A69).
        const string outer = "02BB00000007" + "02AA00000001" + "86DD"
            + "60000000" + "002E0440"
            + "0100000000000000" + "00000000" + "BAC10101"
            + "FC000000000000000000000000000002";
        Assert.Equal(outer + Convert.ToHexString(frame.AsSpan(14)), Convert.ToHexString(_chunk.Output()));
    }

    [Fact]
    public void Katrans_reference_client_192_168_1_1_port_31337_gets_source_172_16_104_123()
    {
        ParsedPacket packet = _chunk.LoadParsed(FrameBuilder.Ipv4("192.168.1.1", Vip4).Tcp(31337, 80).Build());

        IpipEncapsulation.Apply(_chunk.Batch, 0, packet, packet.SourcePort, Address("10.0.0.2"), IpVersion.V4, TestMacs.ToNextHop);

        Assert.Equal(new byte[] { 172, 16, 104, 123 }, _chunk.Output().AsSpan(14 + 12, 4).ToArray());
    }

    [Theory]
    [InlineData(IpVersion.V4)]
    [InlineData(IpVersion.V6)]
    public void Too_little_headroom_is_refused_and_leaves_the_frame_alone(IpVersion backendVersion)
    {
        int overhead = IpipEncapsulation.Overhead(backendVersion);
        ParsedPacket packet = _chunk.LoadParsed(FrameBuilder.Ipv4(Client4, Vip4).Vlan(5).Udp(31337, 80).Build(), headroom: overhead - 1);
        byte[] before = _chunk.Chunk();
        ulong address = _chunk.Batch.Address[0];
        uint length = _chunk.Batch.Length[0];

        DropReason verdict = IpipEncapsulation.Apply(_chunk.Batch, 0, packet, packet.SourcePort, Address(backendVersion == IpVersion.V4 ? "10.0.0.2" : "fc00::2"),
            backendVersion, TestMacs.ToNextHop);

        Assert.Equal(DropReason.NoHeadroom, verdict);
        Assert.Equal(before, _chunk.Chunk());
        Assert.Equal(address, _chunk.Batch.Address[0]);
        Assert.Equal(length, _chunk.Batch.Length[0]);
        _chunk.AssertGuardsIntact();
    }

    [Theory]
    [InlineData(IpVersion.V4)]
    [InlineData(IpVersion.V6)]
    public void Exactly_enough_headroom_puts_the_frame_at_the_chunk_start(IpVersion backendVersion)
    {
        int overhead = IpipEncapsulation.Overhead(backendVersion);
        ParsedPacket packet = _chunk.LoadParsed(FrameBuilder.Ipv4(Client4, Vip4).Vlan(5).Udp(31337, 80).Build(), headroom: overhead);

        DropReason verdict = IpipEncapsulation.Apply(_chunk.Batch, 0, packet, packet.SourcePort, Address(backendVersion == IpVersion.V4 ? "10.0.0.2" : "fc00::2"),
            backendVersion, TestMacs.ToNextHop);

        Assert.Equal(DropReason.None, verdict);
        Assert.Equal(GuardedChunk.ChunkAddress, _chunk.Batch.Address[0]);
        _chunk.AssertGuardsIntact();
        WireChecksums.AssertValid(_chunk.Output());
    }

    public void Dispose() => _chunk.Dispose();
}
