using System.Buffers.Binary;
using System.Runtime.Versioning;
using Forwarder.Packets;
using Forwarder.Rewrite;
using Forwarder.Tests.Packets;
using static Forwarder.Tests.Packets.ParserFixtures;

namespace Forwarder.Tests.Rewrite;

/// <summary>NAT towards a backend: client → VIP:port becomes client → backend:port, checksums updated, nothing else changed.</summary>
[SupportedOSPlatform("linux")]
public sealed unsafe class NatToBackendTests : IDisposable
{
    private const ushort ClientPort = 31337;
    private const ushort VipPort = 80;
    private readonly GuardedChunk _chunk = new();

    public static TheoryData<string, bool> Cases()
    {
        var data = new TheoryData<string, bool>();
        foreach (string name in NatFlowCase.Names())
        {
            data.Add(name, true);
            data.Add(name, false);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_packet_becomes_the_same_packet_to_the_backend(string name, bool changePort)
    {
        NatFlowCase c = NatFlowCase.Get(name);
        string vip = c.Version == IpVersion.V4 ? Vip4 : Vip6, client = c.Version == IpVersion.V4 ? Client4 : Client6;
        string backend = c.Version == IpVersion.V4 ? "10.0.0.2" : "fc00::2";
        ushort backendPort = changePort ? (ushort)8080 : (ushort)0;
        ParsedPacket packet = _chunk.LoadParsed(c.Build(client, vip, ClientPort, VipPort, padded: true));

        DropReason verdict = NatRewrite.ToBackend(_chunk.Batch, 0, packet, Address(backend), backendPort, TestMacs.ToNextHop);

        Assert.Equal(DropReason.None, verdict);
        _chunk.AssertGuardsIntact();
        byte[] output = _chunk.Output();
        byte[] expected = Frames.ToNextHop(c.Build(client, backend, ClientPort, changePort ? backendPort : VipPort, padded: false));
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(output));
        Assert.Equal(c.Version == IpVersion.V4 ? 2 : 1, WireChecksums.AssertValid(output));
    }

    [Fact]
    public void Ipv4_udp_bytes_are_as_worked_out_by_hand()
    {
        ParsedPacket packet = _chunk.LoadParsed(FrameBuilder.Ipv4(Client4, Vip4).Udp(ClientPort, VipPort, payload: 4).Padding(14).Build());

        NatRewrite.ToBackend(_chunk.Batch, 0, packet, Address("10.0.0.2"), 8080, TestMacs.ToNextHop);

        // IP checksum: ~(4500+0020+1234+4000+4011+c0a8+0101+0a00+0002) = 0x5CEE (was 0x5C8C to 10.0.0.100).
        // UDP checksum over pseudo-header and 7a69 1f90 000c 0000 a0a1 a2a3: 0x56EC. Padding cut off.
        const string expected = "02BB00000007" + "02AA00000001" + "0800"
            + "45000020" + "12344000" + "40115CEE" + "C0A80101" + "0A000002"
            + "7A691F90" + "000C56EC" + "A0A1A2A3";
        Assert.Equal(expected, Convert.ToHexString(_chunk.Output()));
    }

    [Fact]
    public void An_ipv4_udp_checksum_of_zero_means_none_and_stays_zero()
    {
        byte[] frame = FrameBuilder.Ipv4(Client4, Vip4).Udp(ClientPort, VipPort).Build();
        frame[14 + 20 + 6] = frame[14 + 20 + 7] = 0;
        ParsedPacket packet = _chunk.LoadParsed(frame);

        NatRewrite.ToBackend(_chunk.Batch, 0, packet, Address("10.0.0.2"), 8080, TestMacs.ToNextHop);

        byte[] expected = Frames.ToNextHop(FrameBuilder.Ipv4(Client4, "10.0.0.2").Udp(ClientPort, 8080).Build());
        expected[14 + 20 + 6] = expected[14 + 20 + 7] = 0;
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(_chunk.Output()));
    }

    [Theory]
    [InlineData(IpVersion.V4)]
    [InlineData(IpVersion.V6)]
    public void A_udp_checksum_that_computes_to_zero_goes_out_as_0xFFFF(IpVersion version)
    {
        string client = version == IpVersion.V4 ? Client4 : Client6, vip = version == IpVersion.V4 ? Vip4 : Vip6;
        string backend = version == IpVersion.V4 ? "10.0.0.2" : "fc00::2";
        int checksumAt = 14 + (version == IpVersion.V4 ? 20 : 40) + 6;
        // The rewritten packet from client port 0 has checksum C = ~S; from client port C its sum is
        // S + C = 0xFFFF, whose checksum 0x0000 must be sent as 0xFFFF.
        ushort clientPort = BinaryPrimitives.ReadUInt16BigEndian(Build(version, client, backend, 0, 8080).AsSpan(checksumAt));
        byte[] expected = Frames.ToNextHop(Build(version, client, backend, clientPort, 8080));
        Assert.Equal(0xFFFF, BinaryPrimitives.ReadUInt16BigEndian(expected.AsSpan(checksumAt)));
        ParsedPacket packet = _chunk.LoadParsed(Build(version, client, vip, clientPort, VipPort));

        NatRewrite.ToBackend(_chunk.Batch, 0, packet, Address(backend), 8080, TestMacs.ToNextHop);

        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(_chunk.Output()));
    }

    [Fact]
    public void The_ttl_is_left_alone()
    {
        ParsedPacket packet = _chunk.LoadParsed(FrameBuilder.Ipv4(Client4, Vip4).HopLimit(1).Tcp(ClientPort, VipPort).Build());

        NatRewrite.ToBackend(_chunk.Batch, 0, packet, Address("10.0.0.2"), 0, TestMacs.ToNextHop);

        Assert.Equal(1, _chunk.Output()[14 + 8]);
    }

    private static byte[] Build(IpVersion version, string source, string destination, ushort sourcePort, ushort destinationPort) =>
        (version == IpVersion.V4 ? FrameBuilder.Ipv4(source, destination) : FrameBuilder.Ipv6(source, destination))
            .Udp(sourcePort, destinationPort, payload: 5).Build();

    public void Dispose() => _chunk.Dispose();
}
