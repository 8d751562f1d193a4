using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Forwarder.Hashing;
using Forwarder.Packets;

namespace Forwarder.Tests.Packets;

/// <summary>The parse stage over a batch in a UMEM-like area: verdicts, parsed packets and flow keys that hash like single flows.</summary>
[SupportedOSPlatform("linux")]
public sealed unsafe class PacketBatchParserTests : IDisposable
{
    private const uint FrameSize = 2048;
    private const int Frames = 64;
    private readonly byte* _area = (byte*)NativeMemory.AlignedAlloc(FrameSize * Frames, 4096);

    [Fact]
    public void Every_frame_gets_its_verdict_and_flows_get_keys_that_hash_like_single_flows()
    {
        ParserFixture[] fixtures = ParserFixtures.All.Where(f => f.Frame.Length <= FrameSize - 256).Take(Frames).ToArray();
        var batch = new PacketBatch(_area, FrameSize);
        for (int i = 0; i < fixtures.Length; i++)
        {
            // Frames start at varying headroom, as they do after the kernel's receive.
            ulong address = (ulong)i * FrameSize + (ulong)(i % 4) * 64 + 256;
            fixtures[i].Frame.CopyTo(new Span<byte>(_area + address, fixtures[i].Frame.Length));
            batch.Address[i] = address;
            batch.Length[i] = (uint)fixtures[i].Frame.Length;
            batch.Verdict[i] = DropReason.TxRingFull; // stale: the parser must overwrite it
        }
        batch.Count = fixtures.Length;
        var packets = new ParsedPacket[PacketBatch.MaxSize];
        var keys = new FlowKeyBatch(Frames);

        PacketBatchParser.Parse(batch, packets, keys);
        keys.ComputeHashes();

        Assert.Equal(fixtures.Length, keys.Count);
        for (int i = 0; i < fixtures.Length; i++)
        {
            ParserFixture fixture = fixtures[i];
            Assert.Equal(fixture.Verdict, batch.Verdict[i]);
            if (fixture.Verdict != DropReason.None)
                continue;
            Assert.Equal(ParsedPacketText.Describe(fixture.Expected!.Value), ParsedPacketText.Describe(packets[i]));
            if (packets[i].Kind == PacketKind.EchoRequest)
                continue;
            ParsedPacket p = packets[i];
            uint expected = p.Version == IpVersion.V4
                ? FlowHash.HashV4(p.Source.V4, p.PortsWord)
                : FlowHash.HashV6(p.Source.Bytes, p.PortsWord);
            Assert.Equal(expected, keys.Hashes[i]);
        }
        Assert.Contains(fixtures, f => f.Verdict != DropReason.None);
        Assert.Contains(fixtures, f => f.Expected is { Version: IpVersion.V6, Kind: PacketKind.Flow });
    }

    [Fact]
    public void Storage_smaller_than_the_batch_is_refused()
    {
        var batch = new PacketBatch(_area, FrameSize) { Count = 65 };
        Assert.Throws<ArgumentException>(() => PacketBatchParser.Parse(batch, new ParsedPacket[65], new FlowKeyBatch(64)));
        Assert.Throws<ArgumentException>(() => PacketBatchParser.Parse(batch, new ParsedPacket[64], new FlowKeyBatch(65)));
    }

    public void Dispose() => NativeMemory.AlignedFree(_area);
}
