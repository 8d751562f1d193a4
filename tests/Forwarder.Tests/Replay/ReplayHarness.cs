using System.Buffers.Binary;
using System.Runtime.Versioning;
using Forwarder.DataPlane;
using Forwarder.Replay;

namespace Forwarder.Tests.Replay;

/// <summary>Runs <see cref="ReplayRunner"/> over an in-memory capture and reads what it wrote back.</summary>
[SupportedOSPlatform("linux")]
internal static class ReplayHarness
{
    /// <summary>Where the synthetic frames of these tests carry their sequence number (after the Ethernet header).</summary>
    public const int SequenceOffset = 14;

    public static (ReplayCounts Counts, List<(CapturedFrame Frame, byte[] Data)> Output) Run<TProcessor>(ref TProcessor processor, byte[] input, int batchSize = 64)
        where TProcessor : struct, IBatchProcessor
    {
        var output = new MemoryStream();
        ReplayCounts counts;
        using (ICaptureReader reader = CaptureFile.Open(new MemoryStream(input), "in.pcap"))
        using (var writer = new PcapWriter(output, leaveOpen: true))
            counts = ReplayRunner.Run(ref processor, reader, writer, batchSize);
        return (counts, PcapFiles.ReadAll(output.ToArray(), "out.pcap"));
    }

    /// <summary>A frame of <paramref name="length"/> bytes carrying <paramref name="sequence"/> when it is long enough to.</summary>
    public static byte[] Frame(uint sequence, int length = 64)
    {
        byte[] frame = PcapFiles.Frame(length, seed: (byte)sequence);
        if (length >= SequenceOffset + 4)
            BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(SequenceOffset), sequence);
        return frame;
    }

    public static uint Sequence(ReadOnlySpan<byte> frame) => BinaryPrimitives.ReadUInt32BigEndian(frame[SequenceOffset..]);
}
