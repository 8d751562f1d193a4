using System.Runtime.Versioning;
using Forwarder.Packets;
using Forwarder.Rewrite;
using static Forwarder.Tests.Packets.ParserFixtures;

namespace Forwarder.Tests.Rewrite;

/// <summary>10,000 random echo requests: each becomes the reply built from scratch, with valid checksums, that the parser reads back swapped.</summary>
[SupportedOSPlatform("linux")]
public sealed unsafe class EchoReplyPropertyTests : IDisposable
{
    private const int Flows = 10_000;
    private readonly GuardedChunk _chunk = new();

    [Fact]
    public void Random_echo_requests_become_the_replies_from_the_vip()
    {
        var random = new RandomFlows(7);
        for (int n = 0; n < Flows; n++)
        {
            IpVersion version = random.Version();
            FlowShape shape = random.Shape(version);
            string client = random.Address(version), vip = random.Address(version);
            uint identifierAndSequence = random.Hash();
            bool v4 = version == IpVersion.V4;
            byte[] frame = shape.BuildEcho(client, vip, v4 ? (byte)8 : (byte)128, identifierAndSequence, padded: true);
            ParsedPacket packet = _chunk.LoadParsed(frame, random.Next(0, (int)GuardedChunk.FrameSize - frame.Length + 1));
            Assert.Equal(PacketKind.EchoRequest, packet.Kind);

            Assert.Equal(DropReason.None, EchoReply.Answer(_chunk.Batch, 0, packet));

            _chunk.AssertGuardsIntact();
            byte[] output = _chunk.Output();
            byte[] expected = Frames.MacsSwapped((shape with { HopLimit = 64 }).BuildEcho(vip, client, v4 ? (byte)0 : (byte)129, identifierAndSequence, padded: false));
            Reparse.AssertSameBytes(expected, output, $"echo {n}: {shape}");
            WireChecksums.AssertValid(output);
            var (verdict, reply) = Reparse.Parse(output);
            Assert.Equal(DropReason.IcmpUnsupported, verdict); // a reply is not balanced
            Assert.Equal(Address(vip), reply.Source);
            Assert.Equal(Address(client), reply.Destination);
            Assert.Equal(64, reply.HopLimit);
            Assert.Equal(v4 ? 0 : 129, reply.IcmpType);
        }
    }

    public void Dispose() => _chunk.Dispose();
}
