using System.Runtime.Versioning;
using Forwarder.Packets;
using Forwarder.Rewrite;
using static Forwarder.Tests.Packets.ParserFixtures;

namespace Forwarder.Tests.Rewrite;

/// <summary>10,000 random flows through IP-in-IP: the expected frame, valid checksums, and inside it the received IP packet byte for byte.</summary>
[SupportedOSPlatform("linux")]
public sealed unsafe class IpipEncapsulationPropertyTests : IDisposable
{
    private const int Flows = 10_000;
    private readonly GuardedChunk _chunk = new();

    [Fact]
    public void Random_flows_carry_the_received_ip_packet_unchanged_behind_katrans_outer_header()
    {
        var random = new RandomFlows(1);
        for (int n = 0; n < Flows; n++)
        {
            IpVersion version = random.Version();
            FlowShape shape = random.Shape(version);
            IpVersion backendVersion = version == IpVersion.V6 ? IpVersion.V6 : random.Version(); // no IPv6 inside IPv4
            string client = random.Address(version), vip = random.Address(version), backend = random.Address(backendVersion);
            ushort sourcePort = random.Port();
            byte[] frame = shape.Build(client, vip, sourcePort, random.Port(), padded: true);
            // A quarter as under a "no source port" VIP: the outer source comes from the address alone.
            ushort clientPort = random.Next(0, 4) == 0 ? (ushort)0 : sourcePort;
            int overhead = IpipEncapsulation.Overhead(backendVersion);
            ParsedPacket packet = _chunk.LoadParsed(frame, random.Next(overhead, (int)GuardedChunk.FrameSize - frame.Length + 1));
            string context = $"flow {n}: {shape} {client}:{clientPort} → {backend}";

            Assert.Equal(DropReason.None, IpipEncapsulation.Apply(_chunk.Batch, 0, packet, clientPort, Address(backend), backendVersion, TestMacs.ToNextHop));

            _chunk.AssertGuardsIntact();
            byte[] output = _chunk.Output();
            Reparse.AssertSameBytes(ExpectedEncapsulation.Ipip(frame, client, clientPort, backend), output, context);
            WireChecksums.AssertValid(output);

            var (outerVerdict, outer) = Reparse.Parse(output);
            Assert.Equal(DropReason.UnsupportedL4, outerVerdict); // protocol 4 / 41 is not balanced
            Assert.Equal(backendVersion, outer.Version);
            Assert.Equal(Address(backend), outer.Destination);
            Assert.Equal(version == IpVersion.V4 ? 4 : 41, outer.Protocol);
            Assert.Equal(overhead + packet.IpTotalLength, outer.IpTotalLength);

            byte[] inner = Reparse.Decapsulate(output, packet.L3Offset, overhead);
            Reparse.AssertSameBytes(frame.AsSpan(packet.L3Offset, packet.IpTotalLength), inner.AsSpan(packet.L3Offset), context);
            var (innerVerdict, innerPacket) = Reparse.Parse(inner);
            Assert.Equal(DropReason.None, innerVerdict);
            Reparse.AssertSameFields(packet, innerPacket, context);
        }
    }

    public void Dispose() => _chunk.Dispose();
}
