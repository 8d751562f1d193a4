using System.Buffers.Binary;
using System.Runtime.Versioning;
using Forwarder.Hashing;
using Forwarder.Packets;
using Forwarder.Rewrite;
using static Forwarder.Tests.Packets.ParserFixtures;

namespace Forwarder.Tests.Rewrite;

/// <summary>
/// 10,000 random flows answered as too big: IPv4 without DF is refused untouched; every other packet
/// becomes the expected answer, valid and within 576 / 1280 bytes, which the parser reads as an ICMP
/// error about the flow seen from the VIP.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed unsafe class IcmpTooBigPropertyTests : IDisposable
{
    private const int Flows = 10_000;
    private readonly GuardedChunk _chunk = new();

    [Fact]
    public void Random_flows_become_the_icmp_answer_or_are_refused_without_df()
    {
        var random = new RandomFlows(6);
        int answered = 0;
        for (int n = 0; n < Flows; n++)
        {
            IpVersion version = random.Version();
            FlowShape shape = random.Shape(version);
            string client = random.Address(version), vip = random.Address(version);
            ushort clientPort = random.Port(), vipPort = random.Port();
            int mtu = random.Next(1280, 9001);
            byte[] frame = shape.Build(client, vip, clientPort, vipPort, padded: true);
            ParsedPacket packet = _chunk.LoadParsed(frame, random.Next(48, (int)GuardedChunk.FrameSize - frame.Length + 1));
            byte[] before = _chunk.Chunk();
            string context = $"flow {n}: {shape} mtu {mtu}";

            DropReason verdict = IcmpTooBig.Answer(_chunk.Batch, 0, packet, mtu);

            _chunk.AssertGuardsIntact();
            if (version == IpVersion.V4 && !shape.DontFragment)
            {
                Assert.Equal(DropReason.PacketTooBig, verdict);
                Assert.Equal(before, _chunk.Chunk());
                continue;
            }
            Assert.Equal(DropReason.None, verdict);
            answered++;
            byte[] output = _chunk.Output();
            Reparse.AssertSameBytes(ExpectedIcmpTooBig.Answer(frame, mtu), output, context);
            WireChecksums.AssertValid(output);
            Assert.InRange(output.Length - packet.L3Offset, 0, version == IpVersion.V4 ? 576 : 1280);

            var (reparsedVerdict, answer) = Reparse.Parse(output);
            Assert.Equal(DropReason.None, reparsedVerdict);
            Assert.Equal(PacketKind.IcmpError, answer.Kind);
            Assert.Equal(version == IpVersion.V4 ? 3 : 2, answer.IcmpType);
            // The quoted packet went client → VIP, so the parser, orienting errors as about a VIP's reply, sees the VIP as the client.
            Assert.Equal(Address(vip), answer.Source);
            Assert.Equal(Address(client), answer.Destination);
            Assert.Equal(FlowHash.PortsWord(vipPort, clientPort), answer.PortsWord);
            Assert.Equal(packet.HasVlan, answer.HasVlan);
            Assert.Equal(packet.VlanTci, answer.VlanTci);
            int mtuField = version == IpVersion.V4
                ? BinaryPrimitives.ReadUInt16BigEndian(output.AsSpan(answer.L4Offset + 6))
                : (int)BinaryPrimitives.ReadUInt32BigEndian(output.AsSpan(answer.L4Offset + 4));
            Assert.Equal(mtu, mtuField);
        }
        Assert.InRange(answered, Flows / 2, Flows);
    }

    public void Dispose() => _chunk.Dispose();
}
