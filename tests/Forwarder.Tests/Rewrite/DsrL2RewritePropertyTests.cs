using System.Runtime.Versioning;
using Forwarder.Packets;
using Forwarder.Rewrite;

namespace Forwarder.Tests.Rewrite;

/// <summary>10,000 random flows through layer-2 DSR: the MACs change, every other byte and the frame's place and length stay.</summary>
[SupportedOSPlatform("linux")]
public sealed unsafe class DsrL2RewritePropertyTests : IDisposable
{
    private const int Flows = 10_000;
    private readonly GuardedChunk _chunk = new();

    [Fact]
    public void Random_flows_keep_every_byte_but_the_macs()
    {
        var random = new RandomFlows(3);
        for (int n = 0; n < Flows; n++)
        {
            IpVersion version = random.Version();
            FlowShape shape = random.Shape(version);
            byte[] frame = shape.Build(random.Address(version), random.Address(version), random.Port(), random.Port(), padded: true);
            ParsedPacket packet = _chunk.LoadParsed(frame, random.Next(0, (int)GuardedChunk.FrameSize - frame.Length + 1));
            ulong address = _chunk.Batch.Address[0];

            Assert.Equal(DropReason.None, DsrL2Rewrite.Apply(_chunk.Batch, 0, TestMacs.ToNextHop));

            _chunk.AssertGuardsIntact();
            Assert.Equal(address, _chunk.Batch.Address[0]);
            byte[] output = _chunk.Output();
            Reparse.AssertSameBytes(Frames.ToNextHop(frame), output, $"flow {n}: {shape}");
            var (verdict, reparsed) = Reparse.Parse(output);
            Assert.Equal(DropReason.None, verdict);
            Reparse.AssertSameFields(packet, reparsed, $"flow {n}: {shape}");
        }
    }

    public void Dispose() => _chunk.Dispose();
}
