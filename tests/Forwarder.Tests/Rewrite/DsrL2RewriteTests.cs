using System.Runtime.Versioning;
using Forwarder.Rewrite;
using Forwarder.Tests.Packets;
using Forwarder.Packets;
using static Forwarder.Tests.Packets.ParserFixtures;

namespace Forwarder.Tests.Rewrite;

/// <summary>Layer-2 DSR: the 12 MAC bytes change, nothing else — not the tag, not the packet, not the padding, not the frame's place.</summary>
[SupportedOSPlatform("linux")]
public sealed unsafe class DsrL2RewriteTests : IDisposable
{
    private readonly GuardedChunk _chunk = new();

    public static TheoryData<string> Received() => new(FramesByName.Keys);

    private static readonly Dictionary<string, byte[]> FramesByName = new()
    {
        ["v4 udp with link padding"] = FrameBuilder.Ipv4(Client4, Vip4).Udp(31337, 80, payload: 0).Padding(18).Build(),
        ["v4 tcp with options behind an 802.1Q tag"] = FrameBuilder.Ipv4(Client4, Vip4).Ipv4Options(3).Vlan(0x2064).Tcp(31337, 443, payload: 200).Build(),
        ["v6 tcp behind an 802.1ad tag"] = FrameBuilder.Ipv6(Client6, Vip6).Vlan(9, 0x88A8).Tcp(50000, 443).Build(),
        ["v4 icmp error about a flow"] = FrameBuilder.Ipv4(Router4, Vip4).Icmp(3, 4, IcmpFixtures.QuotedV4(Forwarder.Packets.IpProtocol.Tcp, 28), rest: 1400).Build(),
    };

    [Theory]
    [MemberData(nameof(Received))]
    public void Only_the_macs_change(string name)
    {
        byte[] frame = FramesByName[name];
        _chunk.LoadParsed(frame);
        ulong address = _chunk.Batch.Address[0];

        DropReason verdict = DsrL2Rewrite.Apply(_chunk.Batch, 0, TestMacs.ToNextHop);

        Assert.Equal(DropReason.None, verdict);
        _chunk.AssertGuardsIntact();
        Assert.Equal(address, _chunk.Batch.Address[0]);
        Assert.Equal(Convert.ToHexString(Frames.ToNextHop(frame)), Convert.ToHexString(_chunk.Output()));
    }

    [Fact]
    public void The_first_twelve_bytes_are_the_backend_mac_then_ours()
    {
        byte[] frame = FrameBuilder.Ipv4(Client4, Vip4).Udp(31337, 80).Build();
        _chunk.LoadParsed(frame);

        DsrL2Rewrite.Apply(_chunk.Batch, 0, TestMacs.ToNextHop);

        Assert.Equal("02BB00000007" + "02AA00000001" + Convert.ToHexString(frame.AsSpan(12)), Convert.ToHexString(_chunk.Output()));
    }

    public void Dispose() => _chunk.Dispose();
}
