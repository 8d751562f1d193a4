using System.Runtime.Versioning;
using Forwarder.Packets;
using Forwarder.Rewrite;
using Forwarder.Tests.Packets;
using static Forwarder.Tests.Packets.ParserFixtures;

namespace Forwarder.Tests.Rewrite;

/// <summary>An echo request to a VIP becomes, in place, the echo reply from the VIP.</summary>
[SupportedOSPlatform("linux")]
public sealed unsafe class EchoReplyTests : IDisposable
{
    private const uint IdentifierAndSequence = 0x4A2B_0007;
    private readonly GuardedChunk _chunk = new();

    private sealed record EchoCase(IpVersion Version, Func<FrameBuilder, FrameBuilder> Shape, int DataLength, int Padding = 0)
    {
        /// <summary>An echo message of <paramref name="type"/> from <paramref name="source"/> to <paramref name="destination"/>.</summary>
        public byte[] Build(string source, string destination, byte type, bool padded)
        {
            var data = new byte[DataLength];
            for (int i = 0; i < data.Length; i++)
                data[i] = (byte)(i * 7);
            FrameBuilder builder = Shape(Version == IpVersion.V4 ? FrameBuilder.Ipv4(source, destination) : FrameBuilder.Ipv6(source, destination));
            builder = Version == IpVersion.V4 ? builder.Icmp(type, 0, data, IdentifierAndSequence) : builder.Icmpv6(type, 0, data, IdentifierAndSequence);
            return builder.Padding(padded ? Padding : 0).Build();
        }
    }

    private static readonly Dictionary<string, EchoCase> EchoCases = new()
    {
        ["v4 ping"] = new(IpVersion.V4, b => b, 56),
        ["v4 ping with options, tos, no DF, 802.1Q tag and link padding"] =
            new(IpVersion.V4, b => b.Ipv4Options(2).TrafficClass(0x10).Ipv4Fragment(0).HopLimit(3).Vlan(0x2064), 0, Padding: 10),
        ["v4 ping with an odd data length, TTL already 64"] = new(IpVersion.V4, b => b.HopLimit(64), 1001),
        ["v6 ping"] = new(IpVersion.V6, b => b.HopLimit(255), 56),
        ["v6 ping behind hop-by-hop options, 802.1ad tag and link padding"] =
            new(IpVersion.V6, b => b.Extension(IpProtocol.HopByHopOptions).Vlan(4, EtherType.ServiceVlan).HopLimit(1), 0, Padding: 2),
    };

    public static TheoryData<string> Cases() => new(EchoCases.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_request_becomes_the_reply_from_the_vip(string name)
    {
        EchoCase c = EchoCases[name];
        string client = c.Version == IpVersion.V4 ? Client4 : Client6, vip = c.Version == IpVersion.V4 ? Vip4 : Vip6;
        byte requestType = c.Version == IpVersion.V4 ? (byte)8 : (byte)128, replyType = c.Version == IpVersion.V4 ? (byte)0 : (byte)129;
        ParsedPacket packet = _chunk.LoadParsed(c.Build(client, vip, requestType, padded: true));
        Assert.Equal(PacketKind.EchoRequest, packet.Kind);

        DropReason verdict = EchoReply.Answer(_chunk.Batch, 0, packet);

        Assert.Equal(DropReason.None, verdict);
        _chunk.AssertGuardsIntact();
        byte[] output = _chunk.Output();
        // The reply as built from scratch: swapped endpoints, hop limit 64, the same tag, ToS, flags, ID, identifier and data.
        EchoCase reply = c with { Shape = b => c.Shape(b).HopLimit(64) };
        byte[] expected = Frames.MacsSwapped(reply.Build(vip, client, replyType, padded: false));
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(output));
        Assert.Equal(c.Version == IpVersion.V4 ? 2 : 1, WireChecksums.AssertValid(output));
    }

    [Fact]
    public void Ipv4_reply_bytes_are_as_worked_out_by_hand()
    {
        ParsedPacket packet = _chunk.LoadParsed(FrameBuilder.Ipv4(Client4, Vip4).HopLimit(10).Icmp(8, 0, [1, 2, 3, 4], IdentifierAndSequence).Build());

        EchoReply.Answer(_chunk.Batch, 0, packet);

        // MACs swapped; TTL 10 → 64 moves the header checksum from 0x929C to 0x5C9C (the word 0a01 became 4001);
        // type 8 → 0 moves the ICMP checksum up by 0x0800 from 0xA9C7 to 0xB1C7; addresses swapped; padding cut off.
        const string expected = "020000000002" + "020000000001" + "0800"
            + "45000020" + "12344000" + "40015C9C" + "0A000064" + "C0A80101"
            + "0000B1C7" + "4A2B0007" + "01020304";
        Assert.Equal(expected, Convert.ToHexString(_chunk.Output()));
    }

    public void Dispose() => _chunk.Dispose();
}
