using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Forwarder.Hashing;
using Forwarder.Packets;
using Xunit.Abstractions;

namespace Forwarder.Tests.Packets;

/// <summary>
/// Property tests over 120,000 random, mutated and truncated frames (fixed seeds). Each frame is parsed
/// twice, once ending on the last byte before a guard page (a read past the frame would crash the
/// run) and once starting right after one (a read before it would); both parses and the reference
/// parser must agree. The frames also go through the batch parse the workers run, 64 to a batch: the
/// verdicts and packet kinds it reports, counted over the whole run, must equal the reference parser's
/// classification of the same frames.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed unsafe class PacketParserFuzzTests(ITestOutputHelper output) : IDisposable
{
    private const int FramesPerGenerator = 40_000;

    private readonly GuardedBuffer _buffer = new(FuzzFrames.MaxLength);
    private readonly BatchParse _batch = new();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Random_mutated_and_truncated_frames_each_get_one_verdict_without_reading_outside_the_frame(int seed)
    {
        var frames = new FuzzFrames(seed);
        var reference = new Tally();

        for (int i = 0; i < FramesPerGenerator; i++)
        {
            Check(frames.Random(), reference);
            Check(frames.Mutated(), reference);
            Check(frames.Truncated(), reference);
        }
        _batch.Flush();

        output.WriteLine(string.Join(", ", PacketParserOutcomes.Verdicts.Select(v => $"{DropReasons.Name(v)}={reference.Verdicts[(int)v]}")));
        output.WriteLine(string.Join(", ", Enum.GetValues<PacketKind>().Select(k => $"{k}={reference.Kinds[(int)k]}")));
        Assert.Equal(3L * FramesPerGenerator, _batch.Counted.Frames);
        Assert.Equal(reference.Verdicts, _batch.Counted.Verdicts);
        Assert.Equal(reference.Kinds, _batch.Counted.Kinds);
        // The generators reach every outcome often enough for the agreement above to mean something.
        foreach (DropReason verdict in PacketParserOutcomes.Verdicts)
            Assert.True(reference.Verdicts[(int)verdict] >= 200, $"{verdict}: only {reference.Verdicts[(int)verdict]} frames");
        foreach (PacketKind kind in new[] { PacketKind.Flow, PacketKind.IcmpError, PacketKind.EchoRequest })
            Assert.True(reference.Kinds[(int)kind] >= 200, $"{kind}: only {reference.Kinds[(int)kind]} frames");
    }

    private void Check(byte[] frame, Tally reference)
    {
        uint length = (uint)frame.Length;
        DropReason atEnd = PacketParser.Parse(_buffer.PlaceAtEnd(frame), length, out ParsedPacket endPacket);
        DropReason atStart = PacketParser.Parse(_buffer.PlaceAtStart(frame), length, out ParsedPacket startPacket);
        var (expected, expectedPacket) = ReferenceParser.Parse(frame);
        reference.Add(expected, expected == DropReason.None ? expectedPacket.Kind : PacketKind.None);
        _batch.Add(frame);

        if (atEnd != expected || atStart != expected)
            Assert.Fail($"verdicts {atEnd}/{atStart}, reference {expected}, frame {Convert.ToHexString(frame)}");
        Assert.True(PacketParserOutcomes.Verdicts.Contains(atEnd));
        if (atEnd != DropReason.None)
        {
            Assert.Equal(PacketKind.None, endPacket.Kind);
            return;
        }

        string described = ParsedPacketText.Describe(endPacket);
        if (described != ParsedPacketText.Describe(expectedPacket) || described != ParsedPacketText.Describe(startPacket))
            Assert.Fail($"fields differ: {described} / reference {ParsedPacketText.Describe(expectedPacket)}, frame {Convert.ToHexString(frame)}");
        CheckOffsetsInsideFrame(endPacket, frame.Length);
    }

    /// <summary>Whatever the parser reports as present lies inside the frame.</summary>
    private static void CheckOffsetsInsideFrame(in ParsedPacket p, int frameLength)
    {
        Assert.NotEqual(PacketKind.None, p.Kind);
        Assert.True(p.IpEnd <= frameLength);
        Assert.True(p.L3Offset < p.L4Offset && p.L4Offset <= p.IpEnd);
        int transportMinimum = p.Kind switch
        {
            PacketKind.Flow => p.Protocol == IpProtocol.Tcp ? 20 : 8,
            _ => 8,
        };
        Assert.True(p.L4Offset + transportMinimum <= p.IpEnd);
        if (p.Kind == PacketKind.IcmpError)
        {
            Assert.Equal(p.L4Offset + 8, p.EmbeddedL3Offset);
            Assert.True(p.EmbeddedL3Offset < p.EmbeddedL4Offset && p.EmbeddedL4Offset + 4 <= p.IpEnd);
        }
        if (p.Kind != PacketKind.EchoRequest)
            Assert.True(p.Protocol is IpProtocol.Tcp or IpProtocol.Udp);
    }

    public void Dispose()
    {
        _buffer.Dispose();
        _batch.Dispose();
    }

    /// <summary>How many frames got each verdict and, parsed, each kind.</summary>
    private sealed class Tally
    {
        public readonly long[] Verdicts = new long[DropReasons.Count];
        public readonly long[] Kinds = new long[Enum.GetValues<PacketKind>().Length];
        public long Frames;

        public void Add(DropReason verdict, PacketKind kind)
        {
            Frames++;
            Verdicts[(int)verdict]++;
            Kinds[(int)kind]++;
        }
    }

    /// <summary>Frames collected 64 at a time in UMEM-like chunks, parsed by <see cref="PacketBatchParser"/>, its verdicts and kinds counted.</summary>
    private sealed class BatchParse : IDisposable
    {
        private const uint ChunkSize = 4096;
        private const uint Headroom = 256;
        private const int Size = 64;
        private readonly byte* _area = (byte*)NativeMemory.AlignedAlloc(ChunkSize * Size, 4096);
        private readonly PacketBatch _batch;
        private readonly ParsedPacket[] _packets = new ParsedPacket[Size];
        private readonly FlowKeyBatch _keys = new(Size);

        public BatchParse() => _batch = new PacketBatch(_area, ChunkSize);

        public Tally Counted { get; } = new();

        public void Add(byte[] frame)
        {
            int i = _batch.Count;
            ulong address = (ulong)i * ChunkSize + Headroom;
            frame.CopyTo(new Span<byte>(_area + address, frame.Length));
            _batch.Address[i] = address;
            _batch.Length[i] = (uint)frame.Length;
            _batch.Verdict[i] = DropReason.TxRingFull; // stale: the parse must overwrite it
            _batch.Count = i + 1;
            if (_batch.Count == Size)
                Flush();
        }

        public void Flush()
        {
            PacketBatchParser.Parse(_batch, _packets, _keys);
            for (int i = 0; i < _batch.Count; i++)
                Counted.Add(_batch.Verdict[i], _batch.Verdict[i] == DropReason.None ? _packets[i].Kind : PacketKind.None);
            _batch.Count = 0;
        }

        public void Dispose() => NativeMemory.AlignedFree(_area);
    }
}
