using System.Runtime.Versioning;
using Forwarder.Packets;
using Forwarder.Rewrite;
using static Forwarder.Tests.Packets.ParserFixtures;

namespace Forwarder.Tests.Rewrite;

/// <summary>
/// ICMP errors of NATed flows. Towards the backend: a router's error about a reply (quoting VIP → client)
/// must reach the backend quoting backend → client. Towards the client: the backend's error about a
/// packet it received (quoting client → backend) must reach the client quoting client → VIP. The
/// expected frames are built from scratch, so every checksum in them — outer IP, ICMP, quoted IP, quoted
/// TCP/UDP as far as quoted — is a full recomputation.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed unsafe class NatIcmpErrorTests : IDisposable
{
    private const ushort ClientPort = 31337;
    private const ushort VipPort = 80;
    private const ushort BackendPort = 8080;
    private readonly GuardedChunk _chunk = new();

    public static TheoryData<string, bool> Cases() => NatIcmpErrorCase.NamesWithPortChange();

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_routers_error_about_a_reply_reaches_the_backend_quoting_its_own_packet(string name, bool changePort)
    {
        NatIcmpErrorCase c = NatIcmpErrorCase.Get(name);
        var (router, vip, client, backend) = Endpoints(c.Version);
        ParsedPacket packet = _chunk.LoadParsed(c.Build(router, vip, vip, VipPort, client, ClientPort, padded: true));
        Assert.Equal(PacketKind.IcmpError, packet.Kind);

        DropReason verdict = NatRewrite.ToBackend(_chunk.Batch, 0, packet, Address(backend), changePort ? BackendPort : (ushort)0, TestMacs.ToNextHop);

        Assert.Equal(DropReason.None, verdict);
        _chunk.AssertGuardsIntact();
        byte[] output = _chunk.Output();
        byte[] expected = Frames.ToNextHop(c.Build(router, backend, backend, changePort ? BackendPort : VipPort, client, ClientPort, padded: false));
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(output));
        WireChecksums.AssertValid(output);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_backends_error_reaches_the_client_quoting_the_clients_packet_to_the_vip(string name, bool changePort)
    {
        NatIcmpErrorCase c = NatIcmpErrorCase.Get(name);
        var (_, vip, client, backend) = Endpoints(c.Version);
        ParsedPacket packet = _chunk.LoadParsed(c.Build(backend, client, client, ClientPort, backend, BackendPort, padded: true));
        Assert.Equal(PacketKind.IcmpError, packet.Kind);

        DropReason verdict = NatRewrite.ToClient(_chunk.Batch, 0, packet, Address(vip), changePort ? VipPort : (ushort)0, TestMacs.ToNextHop);

        Assert.Equal(DropReason.None, verdict);
        _chunk.AssertGuardsIntact();
        byte[] output = _chunk.Output();
        byte[] expected = Frames.ToNextHop(c.Build(vip, client, client, ClientPort, vip, changePort ? VipPort : BackendPort, padded: false));
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(output));
        WireChecksums.AssertValid(output);
    }

    private static (string Router, string Vip, string Client, string Backend) Endpoints(IpVersion version) =>
        version == IpVersion.V4 ? (Router4, Vip4, Client4, "10.0.0.2") : (Router6, Vip6, Client6, "fc00::2");

    public void Dispose() => _chunk.Dispose();
}
