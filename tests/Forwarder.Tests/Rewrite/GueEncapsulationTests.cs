using System.Buffers.Binary;
using System.Runtime.Versioning;
using Forwarder.DataPlane;
using Forwarder.Packets;
using Forwarder.Rewrite;
using Forwarder.Tests.Packets;
using static Forwarder.Tests.Packets.ParserFixtures;

namespace Forwarder.Tests.Rewrite;

/// <summary>GUE variant 1: outer IP + UDP to the GUE port in the headroom, the received IP packet right after, unchanged.</summary>
[SupportedOSPlatform("linux")]
public sealed unsafe class GueEncapsulationTests : IDisposable
{
    private const ushort GuePort = 6080;
    private const uint FlowHashValue = 0xC7E68632; // Katran's reference flow 192.168.1.1:31337 → port 80

    private readonly GuardedChunk _chunk = new();

    public static TheoryData<string> Cases() => EncapsulationCase.Names();

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_frame_becomes_the_expected_outer_headers_around_the_received_ip_packet(string name)
    {
        EncapsulationCase c = EncapsulationCase.Get(name);
        ParsedPacket packet = _chunk.LoadParsed(c.Frame);
        int innerChecksums = WireChecksums.AssertValid(c.Frame, padded: true);
        ulong received = _chunk.Batch.Address[0];
        string outerSource = OuterSource(c.Backend);

        DropReason verdict = GueEncapsulation.Apply(_chunk.Batch, 0, packet, Address(c.Backend), FrameView.VersionOf(c.Backend),
            Address(outerSource), GuePort, FlowHashValue, TestMacs.ToNextHop);

        Assert.Equal(DropReason.None, verdict);
        _chunk.AssertGuardsIntact();
        byte[] output = _chunk.Output();
        Assert.Equal(Convert.ToHexString(ExpectedEncapsulation.Gue(c.Frame, outerSource, c.Backend, GuePort, FlowHashValue)), Convert.ToHexString(output));
        // IPv4 outer: its header checksum, UDP checksum 0 (not checked); IPv6 outer: the UDP checksum.
        Assert.Equal(innerChecksums + 1, WireChecksums.AssertValid(output, GuePort));
        Assert.Equal(received + (ulong)packet.IpEnd, _chunk.Batch.Address[0] + (ulong)output.Length);
    }

    [Fact]
    public void Ipv4_gue_bytes_are_as_worked_out_by_hand()
    {
        byte[] frame = FrameBuilder.Ipv4(Client4, Vip4).Udp(31337, 80).Build();
        ParsedPacket packet = _chunk.LoadParsed(frame);

        GueEncapsulation.Apply(_chunk.Batch, 0, packet, Address("10.0.0.2"), IpVersion.V4, Address("10.0.0.1"), GuePort, FlowHashValue, TestMacs.ToNextHop);

        // IP: 74 = 20 + 8 + 46, DF, TTL 64, UDP, checksum ~(4500+004a+4000+4011+0a00+0001+0a00+0002).
        // UDP: source 0xC000 | ((0xC7E68632 ^ 0xC7E6) & 0x3FFF) = 0xC1D4, destination 6080 = 0x17C0, length 54, checksum 0.
        const string outer = "02BB00000007" + "02AA00000001" + "0800"
            + "4500004A" + "00004000" + "401126A1" + "0A000001" + "0A000002"
            + "C1D417C0" + "00360000";
        Assert.Equal(outer + Convert.ToHexString(frame.AsSpan(14)), Convert.ToHexString(_chunk.Output()));
    }

    [Fact]
    public void An_ipv6_udp_checksum_that_computes_to_zero_goes_out_as_0xFFFF()
    {
        byte[] frame = FrameBuilder.Ipv6(Client6, Vip6).Udp(31337, 53).Build();
        ushort first = ChecksumWithOuterSource(frame, "fc00::");
        Assert.NotEqual(0, first);
        // The sum was ~first; the outer source's last word adds to it, so adding `first` makes it 0xFFFF
        // (ones' complement zero), whose checksum 0x0000 must go out as 0xFFFF (RFC 768).
        string source = $"fc00::{first:x}";

        ushort second = ChecksumWithOuterSource(frame, source);

        Assert.Equal(0xFFFF, second);
        byte[] output = _chunk.Output();
        Assert.Equal(Convert.ToHexString(ExpectedEncapsulation.Gue(frame, source, "fc00::2", GuePort, 0)), Convert.ToHexString(output));
        WireChecksums.AssertValid(output, GuePort);
    }

    [Theory]
    [InlineData(0u, 0xC000)]
    [InlineData(0xFFFFFFFFu, 0xC000)]
    [InlineData(0x0000_3FFFu, 0xFFFF)]
    [InlineData(0x1234_0000u, 0xD234)]
    [InlineData(FlowHashValue, 0xC1D4)]
    public void The_udp_source_port_folds_both_hash_halves_into_0xC000_to_0xFFFF(uint flowHash, int expected)
    {
        ParsedPacket packet = _chunk.LoadParsed(FrameBuilder.Ipv4(Client4, Vip4).Udp(31337, 80).Build());

        GueEncapsulation.Apply(_chunk.Batch, 0, packet, Address("10.0.0.2"), IpVersion.V4, Address("10.0.0.1"), GuePort, flowHash, TestMacs.ToNextHop);

        Assert.Equal(expected, BinaryPrimitives.ReadUInt16BigEndian(_chunk.Output().AsSpan(14 + 20)));
    }

    [Theory]
    [InlineData(IpVersion.V4)]
    [InlineData(IpVersion.V6)]
    public void Too_little_headroom_is_refused_and_leaves_the_frame_alone(IpVersion backendVersion)
    {
        int overhead = GueEncapsulation.Overhead(backendVersion);
        ParsedPacket packet = _chunk.LoadParsed(FrameBuilder.Ipv6(Client6, Vip6).Tcp(31337, 80).Build(), headroom: overhead - 1);
        byte[] before = _chunk.Chunk();
        ulong address = _chunk.Batch.Address[0];
        uint length = _chunk.Batch.Length[0];
        string backend = backendVersion == IpVersion.V4 ? "10.0.0.2" : "fc00::2";

        DropReason verdict = GueEncapsulation.Apply(_chunk.Batch, 0, packet, Address(backend), backendVersion, Address(OuterSource(backend)),
            GuePort, FlowHashValue, TestMacs.ToNextHop);

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
        int overhead = GueEncapsulation.Overhead(backendVersion);
        ParsedPacket packet = _chunk.LoadParsed(FrameBuilder.Ipv4(Client4, Vip4).Vlan(5).Udp(31337, 80).Build(), headroom: overhead);
        string backend = backendVersion == IpVersion.V4 ? "10.0.0.2" : "fc00::2";

        DropReason verdict = GueEncapsulation.Apply(_chunk.Batch, 0, packet, Address(backend), backendVersion, Address(OuterSource(backend)),
            GuePort, FlowHashValue, TestMacs.ToNextHop);

        Assert.Equal(DropReason.None, verdict);
        Assert.Equal(GuardedChunk.ChunkAddress, _chunk.Batch.Address[0]);
        _chunk.AssertGuardsIntact();
        WireChecksums.AssertValid(_chunk.Output(), GuePort);
    }

    private ushort ChecksumWithOuterSource(byte[] frame, string outerSource)
    {
        ParsedPacket packet = _chunk.LoadParsed(frame);
        GueEncapsulation.Apply(_chunk.Batch, 0, packet, Address("fc00::2"), IpVersion.V6, Address(outerSource), GuePort, 0, TestMacs.ToNextHop);
        return BinaryPrimitives.ReadUInt16BigEndian(_chunk.Output().AsSpan(14 + 40 + 6));
    }

    private static string OuterSource(string backend) => FrameView.VersionOf(backend) == IpVersion.V4 ? "10.0.0.1" : "fc00::1";

    public void Dispose() => _chunk.Dispose();
}
