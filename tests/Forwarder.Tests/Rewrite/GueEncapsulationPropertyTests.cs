using System.Runtime.Versioning;
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
            ushort sourcePort = random.Port();
            byte[] frame = shape.Build(client, vip, sourcePort, random.Port(), padded: true);
            // A quarter as under a "no source port" VIP: the outer port comes from the address alone.
            ushort clientPort = random.Next(0, 4) == 0 ? (ushort)0 : sourcePort;
            int overhead = GueEncapsulation.Overhead(backendVersion);
            ParsedPacket packet = _chunk.LoadParsed(frame, random.Next(overhead, (int)GuardedChunk.FrameSize - frame.Length + 1));
            string context = $"flow {n}: {shape} {client}:{clientPort} → {outerSource} → {backend}";

            Assert.Equal(DropReason.None, GueEncapsulation.Apply(_chunk.Batch, 0, packet, clientPort, Address(backend), backendVersion, Address(outerSource),
                GuePort, TestMacs.ToNextHop));

            _chunk.AssertGuardsIntact();
            byte[] output = _chunk.Output();
            Reparse.AssertSameBytes(ExpectedEncapsulation.Gue(frame, client, clientPort, outerSource, backend, GuePort), output, context);
            WireChecksums.AssertValid(output, GuePort);

            var (outerVerdict, outer) = Reparse.Parse(output);
            Assert.Equal(DropReason.None, outerVerdict);
            Assert.Equal(PacketKind.Flow, outer.Kind);
            Assert.Equal(IpProtocol.Udp, outer.Protocol);
            Assert.Equal(Address(outerSource), outer.Source);
            Assert.Equal(Address(backend), outer.Destination);
            Assert.Equal(GuePort, outer.DestinationPort);
            Assert.Equal(System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(ExpectedHeaders.KatranGuePort(client, clientPort, backendVersion == IpVersion.V4)),
                outer.SourcePort);

            byte[] inner = Reparse.Decapsulate(output, packet.L3Offset, overhead);
            Reparse.AssertSameBytes(frame.AsSpan(packet.L3Offset, packet.IpTotalLength), inner.AsSpan(packet.L3Offset), context);
            var (innerVerdict, innerPacket) = Reparse.Parse(inner);
            Assert.Equal(DropReason.None, innerVerdict);
            Reparse.AssertSameFields(packet, innerPacket, context);
        }
    }

    public void Dispose() => _chunk.Dispose();
}
