using System.Runtime.Versioning;
using Forwarder.Packets;
using Forwarder.Rewrite;
using Forwarder.Tests.Packets;
using static Forwarder.Tests.Packets.ParserFixtures;

namespace Forwarder.Tests.Rewrite;

/// <summary>NAT of a backend's reply: backend:port → client becomes VIP:port → client, checksums updated, nothing else changed.</summary>
[SupportedOSPlatform("linux")]
public sealed unsafe class NatToClientTests : IDisposable
{
    private const ushort ClientPort = 31337;
    private const ushort VipPort = 80;
    private const ushort BackendPort = 8080;
    private readonly GuardedChunk _chunk = new();

    public static TheoryData<string, bool> Cases() => NatToBackendTests.Cases();

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_reply_becomes_the_same_packet_from_the_vip(string name, bool changePort)
    {
        NatFlowCase c = NatFlowCase.Get(name);
        string vip = c.Version == IpVersion.V4 ? Vip4 : Vip6, client = c.Version == IpVersion.V4 ? Client4 : Client6;
        string backend = c.Version == IpVersion.V4 ? "10.0.0.2" : "fc00::2";
        ushort vipPort = changePort ? VipPort : (ushort)0;
        ParsedPacket packet = _chunk.LoadParsed(c.Build(backend, client, BackendPort, ClientPort, padded: true));
        Assert.Equal(Address(backend), packet.Source); // the parser reads the reply as if the backend were the client

        DropReason verdict = NatRewrite.ToClient(_chunk.Batch, 0, packet, Address(vip), vipPort, TestMacs.ToNextHop);

        Assert.Equal(DropReason.None, verdict);
        _chunk.AssertGuardsIntact();
        byte[] output = _chunk.Output();
        byte[] expected = Frames.ToNextHop(c.Build(vip, client, changePort ? VipPort : BackendPort, ClientPort, padded: false));
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(output));
        Assert.Equal(c.Version == IpVersion.V4 ? 2 : 1, WireChecksums.AssertValid(output));
    }

    [Fact]
    public void Ipv6_tcp_reply_bytes_are_as_worked_out_by_hand()
    {
        ParsedPacket packet = _chunk.LoadParsed(FrameBuilder.Ipv6("fc00::2", "2001:db8::1").Tcp(BackendPort, ClientPort, TcpFlags.Syn | TcpFlags.Ack).Build());

        NatRewrite.ToClient(_chunk.Batch, 0, packet, Address("2001:db8::100"), VipPort, TestMacs.ToNextHop);

        // Only the source address (fc00::2 → 2001:db8::100), the source port (1f90 → 0050) and the TCP
        // checksum change; the checksum 0x9440 is the sum over the new pseudo-header and segment, complemented.
        const string expected = "02BB00000007" + "02AA00000001" + "86DD"
            + "60012345" + "00140640"
            + "20010DB8000000000000000000000100" + "20010DB8000000000000000000000001"
            + "00507A69" + "11223344" + "00000000" + "5012FFFF" + "94400000";
        Assert.Equal(expected, Convert.ToHexString(_chunk.Output()));
    }

    public void Dispose() => _chunk.Dispose();
}
