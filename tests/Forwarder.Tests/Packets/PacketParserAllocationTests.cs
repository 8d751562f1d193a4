using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Forwarder.Hashing;
using Forwarder.Packets;

namespace Forwarder.Tests.Packets;

/// <summary>The parse path allocates nothing: a million frames through the batch parser leave the thread's allocation count unchanged.</summary>
[SupportedOSPlatform("linux")]
public sealed unsafe class PacketParserAllocationTests
{
    [Fact]
    public void Parsing_a_million_frames_allocates_nothing()
    {
        const uint frameSize = 2048;
        const int batchSize = 64;
        ParserFixture[] fixtures = ParserFixtures.All.Where(f => f.Frame.Length <= frameSize).ToArray();
        byte* area = (byte*)NativeMemory.AlignedAlloc(frameSize * batchSize, 4096);
        try
        {
            var batch = new PacketBatch(area, frameSize) { Count = batchSize };
            for (int i = 0; i < batchSize; i++)
            {
                byte[] frame = fixtures[i % fixtures.Length].Frame;
                frame.CopyTo(new Span<byte>(area + (ulong)i * frameSize, frame.Length));
                batch.Address[i] = (ulong)i * frameSize;
                batch.Length[i] = (uint)frame.Length;
            }
            var packets = new ParsedPacket[batchSize];
            var keys = new FlowKeyBatch(batchSize);
            Run(batch, packets, keys, 1000); // JIT and tiering

            long before = GC.GetAllocatedBytesForCurrentThread();
            Run(batch, packets, keys, 1_000_000 / batchSize);
            long after = GC.GetAllocatedBytesForCurrentThread();

            Assert.Equal(0, after - before);
        }
        finally
        {
            NativeMemory.AlignedFree(area);
        }
    }

    private static void Run(PacketBatch batch, ParsedPacket[] packets, FlowKeyBatch keys, int batches)
    {
        for (int i = 0; i < batches; i++)
        {
            PacketBatchParser.Parse(batch, packets, keys);
            keys.ComputeHashes();
            PacketParser.Parse(batch.Data(i % batch.Count), batch.Length[i % batch.Count], out _);
        }
    }
}
