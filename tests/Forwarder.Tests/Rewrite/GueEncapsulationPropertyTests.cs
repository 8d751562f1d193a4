using System.Runtime.Versioning;
using Forwarder.DataPlane;
using Forwarder.Packets;
using Forwarder.Rewrite;
using static Forwarder.Tests.Packets.ParserFixtures;

namespace Forwarder.Tests.Rewrite;

/// <summary>10,000 random flows through GUE: the expected frame, valid checksums, an outer UDP flow to the GUE port, and inside it the received IP packet byte for byte.</summary>
[SupportedOSPlatform("linux")]
public sealed unsafe class GueEncapsulationPropertyTests : IDisposable
{
    private const int Flows = 10_000;
    private const ushort GuePort = 6080;
    private readonly GuardedChunk _chunk = new();

    [Fact]
    public void Random_flows_carry_the_received_ip_packet_unchanged_behind_outer_ip_and_udp()
    {
        var random = new RandomFlows(2);
        for (int n = 0; n < Flows; n++)
        {
            IpVersion version = random.Version();
            FlowShape shape = random.Shape(version);
            IpVersion backendVersion = version == IpVersion.V6 ? IpVersion.V6 : random.Version();
            string client = random.Address(version), vip = random.Address(version);
            string backend = random.Address(backendVersion), outerSource = random.Address(backendVersion);
            uint flowHash = random.Hash();
            byte[] frame = shape.Build(client, vip, random.Port(), random.Port(), padded: true);
            int overhead = GueEncapsulation.Overhead(backendVersion);
            ParsedPacket packet = _chunk.LoadParsed(frame, random.Next(overhead, (int)GuardedChunk.FrameSize - frame.Length + 1));
            string context = $"flow {n}: {shape} → {outerSource} → {backend} hash {flowHash:x8}";

            Assert.Equal(DropReason.None, GueEncapsulation.Apply(_chunk.Batch, 0, packet, Address(backend), backendVersion, Address(outerSource),
                GuePort, flowHash, TestMacs.ToNextHop));

            _chunk.AssertGuardsIntact();
            byte[] output = _chunk.Output();
            Reparse.AssertSameBytes(ExpectedEncapsulation.Gue(frame, outerSource, backend, GuePort, flowHash), output, context);
            WireChecksums.AssertValid(output, GuePort);

            var (outerVerdict, outer) = Reparse.Parse(output);
            Assert.Equal(DropReason.None, outerVerdict);
            Assert.Equal(PacketKind.Flow, outer.Kind);
            Assert.Equal(IpProtocol.Udp, outer.Protocol);
            Assert.Equal(Address(outerSource), outer.Source);
            Assert.Equal(Address(backend), outer.Destination);
            Assert.Equal(GuePort, outer.DestinationPort);
            Assert.InRange(outer.SourcePort, 0xC000, 0xFFFF);

            byte[] inner = Reparse.Decapsulate(output, packet.L3Offset, overhead);
            Reparse.AssertSameBytes(frame.AsSpan(packet.L3Offset, packet.IpTotalLength), inner.AsSpan(packet.L3Offset), context);
            var (innerVerdict, innerPacket) = Reparse.Parse(inner);
            Assert.Equal(DropReason.None, innerVerdict);
            Reparse.AssertSameFields(packet, innerPacket, context);
        }
    }

    public void Dispose() => _chunk.Dispose();
}
