using System.Buffers.Binary;
using System.Runtime.Versioning;
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

        DropReason verdict = GueEncapsulation.Apply(_chunk.Batch, 0, packet, c.ClientPort, Address(c.Backend), FrameView.VersionOf(c.Backend),
            Address(outerSource), GuePort, TestMacs.ToNextHop);

        Assert.Equal(DropReason.None, verdict);
        _chunk.AssertGuardsIntact();
        byte[] output = _chunk.Output();
        Assert.Equal(Convert.ToHexString(ExpectedEncapsulation.Gue(c.Frame, c.Client, c.ClientPort, outerSource, c.Backend, GuePort)), Convert.ToHexString(output));
        // IPv4 outer: its header checksum, UDP checksum 0 (not checked); IPv6 outer: the UDP checksum.
        Assert.Equal(innerChecksums + 1, WireChecksums.AssertValid(output, GuePort));
        Assert.Equal(received + (ulong)packet.IpEnd, _chunk.Batch.Address[0] + (ulong)output.Length);
    }

    [Fact]
    public void Ipv4_gue_bytes_are_as_worked_out_by_hand()
    {
        byte[] frame = FrameBuilder.Ipv4(Client4, Vip4).Udp(31337, 80).Build();
        ParsedPacket packet = _chunk.LoadParsed(frame);

        GueEncapsulation.Apply(_chunk.Batch, 0, packet, packet.SourcePort, Address("10.0.0.2"), IpVersion.V4, Address("10.0.0.1"), GuePort, TestMacs.ToNextHop);

        // IP: 74 = 20 + 8 + 46, DF, TTL 64, UDP, checksum ~(4500+004a+4000+4011+0a00+0001+0a00+0002).
        // UDP: source from 192.168.1.1 port 0x7A69: (1 ^ 0x69).(1 ^ 0x7A) = 0x687B = 26747, Katran's own fixture value;
        // destination 6080 = 0x17C0, length 54, checksum 0.
        const string outer = "02BB00000007" + "02AA00000001" + "0800"
            + "4500004A" + "00004000" + "401126A1" + "0A000001" + "0A000002"
            + "687B17C0" + "00360000";
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
        Assert.Equal(Convert.ToHexString(ExpectedEncapsulation.Gue(frame, Client6, 31337, source, "fc00::2", GuePort)), Convert.ToHexString(output));
        WireChecksums.AssertValid(output, GuePort);
    }

    /// <summary>
    /// Katran's published GUE fixtures (<c>KatranGueTestFixtures.h</c>: 192.168.1.1:31337 → 26747 over IPv4 and 31592
    /// over IPv6; fc00:2::1:31337 → 31337), worked-out values for other clients, and port 0 as a "no source port" VIP gives it.
    /// </summary>
    [Theory]
    [InlineData("192.168.1.1", 31337, "10.0.0.2", 26747)]
    [InlineData("192.168.1.1", 31337, "fc00::2", 31592)]
    [InlineData("fc00:2::1", 31337, "fc00::2", 31337)]
    [InlineData("10.1.2.3", 0x1234, "10.0.0.2", 0x3611)]            // (2 ^ 0x34).(3 ^ 0x12)
    [InlineData("10.1.2.3", 0x1234, "fc00::2", 0x1037)]             // (0x12 ^ 2).(0x34 ^ 3)
    [InlineData("2001:db8::ab12:3456", 31337, "fc00::2", 0xD17B)]   // (0x7A ^ 0xAB).(0x69 ^ 0x12)
    [InlineData("192.168.1.1", 0, "10.0.0.2", 0x0101)]              // no source port: the client's address alone
    [InlineData("fc00:2::1", 0, "fc00::2", 0)]
    public void The_udp_source_port_is_katrans_from_the_client_address_and_port(string client, int clientPort, string backend, int expected)
    {
        bool v4 = FrameView.VersionOf(client) == IpVersion.V4;
        byte[] frame = (v4 ? FrameBuilder.Ipv4(client, Vip4) : FrameBuilder.Ipv6(client, Vip6)).Tcp(31337, 80).Build();
        ParsedPacket packet = _chunk.LoadParsed(frame);
        IpVersion backendVersion = FrameView.VersionOf(backend);

        GueEncapsulation.Apply(_chunk.Batch, 0, packet, (ushort)clientPort, Address(backend), backendVersion, Address(OuterSource(backend)),
            GuePort, TestMacs.ToNextHop);

        int udp = 14 + (backendVersion == IpVersion.V4 ? 20 : 40);
        Assert.Equal(expected, BinaryPrimitives.ReadUInt16BigEndian(_chunk.Output().AsSpan(udp)));
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

        DropReason verdict = GueEncapsulation.Apply(_chunk.Batch, 0, packet, packet.SourcePort, Address(backend), backendVersion, Address(OuterSource(backend)),
            GuePort, TestMacs.ToNextHop);

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

        DropReason verdict = GueEncapsulation.Apply(_chunk.Batch, 0, packet, packet.SourcePort, Address(backend), backendVersion, Address(OuterSource(backend)),
            GuePort, TestMacs.ToNextHop);

        Assert.Equal(DropReason.None, verdict);
        Assert.Equal(GuardedChunk.ChunkAddress, _chunk.Batch.Address[0]);
        _chunk.AssertGuardsIntact();
        WireChecksums.AssertValid(_chunk.Output(), GuePort);
    }

    private ushort ChecksumWithOuterSource(byte[] frame, string outerSource)
    {
        ParsedPacket packet = _chunk.LoadParsed(frame);
        GueEncapsulation.Apply(_chunk.Batch, 0, packet, packet.SourcePort, Address("fc00::2"), IpVersion.V6, Address(outerSource), GuePort, TestMacs.ToNextHop);
        return BinaryPrimitives.ReadUInt16BigEndian(_chunk.Output().AsSpan(14 + 40 + 6));
    }

    private static string OuterSource(string backend) => FrameView.VersionOf(backend) == IpVersion.V4 ? "10.0.0.1" : "fc00::1";

    public void Dispose() => _chunk.Dispose();
}
