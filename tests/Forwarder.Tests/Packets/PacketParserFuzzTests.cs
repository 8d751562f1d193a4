using System.Runtime.Versioning;
using Forwarder.DataPlane;
using Forwarder.Packets;
using Xunit.Abstractions;

namespace Forwarder.Tests.Packets;

/// <summary>
/// Property tests over 120,000 random, mutated and truncated frames (fixed seeds). Each frame is parsed
/// twice, once ending on the last byte before a guard page (a read past the frame would crash the
/// run) and once starting right after one (a read before it would); both parses and the reference
/// parser must agree. Every frame gets exactly one verdict, counted once, the way the worker counts.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed unsafe class PacketParserFuzzTests(ITestOutputHelper output) : IDisposable
{
    private const int FramesPerGenerator = 40_000;

    private readonly GuardedBuffer _buffer = new(FuzzFrames.MaxLength);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Random_mutated_and_truncated_frames_each_get_one_verdict_without_reading_outside_the_frame(int seed)
    {
        var frames = new FuzzFrames(seed);
        var counts = new long[DropReasons.Count];
        var kinds = new long[Enum.GetValues<PacketKind>().Length];
        long total = 0;

        for (int i = 0; i < FramesPerGenerator; i++)
        {
            Check(frames.Random(), counts, kinds);
            Check(frames.Mutated(), counts, kinds);
            Check(frames.Truncated(), counts, kinds);
            total += 3;
        }

        output.WriteLine(string.Join(", ", PacketParserOutcomes.Verdicts.Select(v => $"{DropReasons.Name(v)}={counts[(int)v]}")));
        output.WriteLine(string.Join(", ", Enum.GetValues<PacketKind>().Select(k => $"{k}={kinds[(int)k]}")));
        Assert.Equal(total, counts.Sum());
        Assert.Equal(counts[(int)DropReason.None], kinds.Sum() - kinds[(int)PacketKind.None]);
        Assert.Equal(0, counts[(int)DropReason.TxRingFull]);
        // The generators reach every outcome often enough for the agreement above to mean something.
        foreach (DropReason verdict in PacketParserOutcomes.Verdicts)
            Assert.True(counts[(int)verdict] >= 200, $"{verdict}: only {counts[(int)verdict]} frames");
        foreach (PacketKind kind in new[] { PacketKind.Flow, PacketKind.IcmpError, PacketKind.EchoRequest })
            Assert.True(kinds[(int)kind] >= 200, $"{kind}: only {kinds[(int)kind]} frames");
    }

    private void Check(byte[] frame, long[] counts, long[] kinds)
    {
        uint length = (uint)frame.Length;
        DropReason atEnd = PacketParser.Parse(_buffer.PlaceAtEnd(frame), length, out ParsedPacket endPacket);
        DropReason atStart = PacketParser.Parse(_buffer.PlaceAtStart(frame), length, out ParsedPacket startPacket);
        var (expected, expectedPacket) = ReferenceParser.Parse(frame);

        if (atEnd != expected || atStart != expected)
            Assert.Fail($"verdicts {atEnd}/{atStart}, reference {expected}, frame {Convert.ToHexString(frame)}");
        Assert.True(PacketParserOutcomes.Verdicts.Contains(atEnd));
        counts[(int)atEnd]++;
        kinds[(int)endPacket.Kind]++;
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

    public void Dispose() => _buffer.Dispose();
}
