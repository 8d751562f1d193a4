using System.Runtime.Versioning;
using Forwarder.Hashing;
using Forwarder.Packets;
using Forwarder.Rewrite;
using static Forwarder.Tests.Packets.ParserFixtures;

namespace Forwarder.Tests.Rewrite;

/// <summary>
/// 10,000 random flows each way through NAT, a quarter of them ICMP errors quoting a random prefix of a
/// flow packet: the output is byte for byte the packet built from scratch between the new endpoints
/// (so every checksum equals a full recomputation), and the parser reads it as the same flow with the
/// one endpoint changed.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed unsafe class NatPropertyTests : IDisposable
{
    private const int Flows = 10_000;
    private readonly GuardedChunk _chunk = new();

    [Fact]
    public void Random_flows_and_errors_to_a_vip_become_the_same_traffic_to_the_backend()
    {
        var random = new RandomFlows(4);
        for (int n = 0; n < Flows; n++)
        {
            IpVersion version = random.Version();
            FlowShape shape = random.Shape(version);
            string client = random.Address(version), vip = random.Address(version), backend = random.Address(version);
            ushort clientPort = random.Port(), vipPort = random.Port(), backendPort = random.Next(5) == 0 ? (ushort)0 : random.Port();
            ushort newPort = backendPort == 0 ? vipPort : backendPort;
            byte[] frame, expected;
            if (random.Next(4) == 0)
            {
                // A router's error about the VIP's reply; the backend must see it about its own reply.
                string router = random.Address(version);
                byte[] quoted = shape.BuildIpPacket(vip, client, vipPort, clientPort);
                int quote = QuoteLength(random, shape, quoted.Length);
                frame = shape.BuildError(router, vip, quoted[..quote], padded: true);
                expected = shape.BuildError(router, backend, ExpectedQuote(shape, quoted[..quote], shape.BuildIpPacket(backend, client, newPort, clientPort)), padded: false);
            }
            else
            {
                frame = shape.Build(client, vip, clientPort, vipPort, padded: true);
                expected = shape.Build(client, backend, clientPort, newPort, padded: false);
            }
            ParsedPacket packet = _chunk.LoadParsed(frame, random.Next(0, (int)GuardedChunk.FrameSize - frame.Length + 1));
            string context = $"flow {n}: {packet.Kind} {shape} {client}:{clientPort} → {vip}:{vipPort} → {backend}:{backendPort}";

            Assert.Equal(DropReason.None, NatRewrite.ToBackend(_chunk.Batch, 0, packet, Address(backend), backendPort, TestMacs.ToNextHop));

            AssertOutput(Frames.ToNextHop(expected), packet with { Destination = Address(backend), PortsWord = FlowHash.PortsWord(clientPort, newPort) }, context);
        }
    }

    [Fact]
    public void Random_replies_and_errors_from_a_backend_become_the_same_traffic_from_the_vip()
    {
        var random = new RandomFlows(5);
        for (int n = 0; n < Flows; n++)
        {
            IpVersion version = random.Version();
            FlowShape shape = random.Shape(version);
            string client = random.Address(version), vip = random.Address(version), backend = random.Address(version);
            ushort clientPort = random.Port(), backendPort = random.Port(), vipPort = random.Next(5) == 0 ? (ushort)0 : random.Port();
            ushort newPort = vipPort == 0 ? backendPort : vipPort;
            byte[] frame, expected;
            if (random.Next(4) == 0)
            {
                // The backend's error about the client's packet; the client must see it about its packet to the VIP.
                byte[] quoted = shape.BuildIpPacket(client, backend, clientPort, backendPort);
                int quote = QuoteLength(random, shape, quoted.Length);
                frame = shape.BuildError(backend, client, quoted[..quote], padded: true);
                expected = shape.BuildError(vip, client, ExpectedQuote(shape, quoted[..quote], shape.BuildIpPacket(client, vip, clientPort, newPort)), padded: false);
            }
            else
            {
                frame = shape.Build(backend, client, backendPort, clientPort, padded: true);
                expected = shape.Build(vip, client, newPort, clientPort, padded: false);
            }
            ParsedPacket packet = _chunk.LoadParsed(frame, random.Next(0, (int)GuardedChunk.FrameSize - frame.Length + 1));
            string context = $"flow {n}: {packet.Kind} {shape} {backend}:{backendPort} → {client}:{clientPort} from {vip}:{vipPort}";

            Assert.Equal(DropReason.None, NatRewrite.ToClient(_chunk.Batch, 0, packet, Address(vip), vipPort, TestMacs.ToNextHop));

            // The parser takes the backend side for the client side of a reply: its source and first port change.
            AssertOutput(Frames.ToNextHop(expected), packet with { Source = Address(vip), PortsWord = FlowHash.PortsWord(newPort, clientPort) }, context);
        }
    }

    private void AssertOutput(byte[] expected, ParsedPacket expectedFields, string context)
    {
        _chunk.AssertGuardsIntact();
        byte[] output = _chunk.Output();
        Reparse.AssertSameBytes(expected, output, context);
        WireChecksums.AssertValid(output);
        var (verdict, reparsed) = Reparse.Parse(output);
        Assert.Equal(DropReason.None, verdict);
        Reparse.AssertSameFields(expectedFields, reparsed, context);
    }

    /// <summary>
    /// The start of the rewritten packet, as long as the received quote. A quote that ends inside the
    /// transport checksum holds one byte of it: without the other the checksum cannot be updated, and
    /// that byte stays as received.
    /// </summary>
    private static byte[] ExpectedQuote(FlowShape shape, byte[] receivedQuote, byte[] rewrittenPacket)
    {
        byte[] quote = rewrittenPacket[..receivedQuote.Length];
        if (quote.Length == shape.TransportOffset + (shape.Tcp ? 16 : 6) + 1)
            quote[^1] = receivedQuote[^1];
        return quote;
    }

    /// <summary>A quote at least reaching the ports: the transport header's first 8 bytes, all of the packet, or anything between.</summary>
    private static int QuoteLength(RandomFlows random, FlowShape shape, int packetLength)
    {
        int ports = shape.TransportOffset + 4;
        return random.Next(3) switch
        {
            0 => Math.Min(packetLength, shape.TransportOffset + 8),
            1 => packetLength,
            _ => random.Next(ports, packetLength + 1),
        };
    }

    public void Dispose() => _chunk.Dispose();
}
