using System.Runtime.Versioning;
using Forwarder.Replay;
using Forwarder.Packets;

namespace Forwarder.Tests.Replay;

/// <summary>Every frame read is written or counted exactly once, in input order, whatever the batch size.</summary>
[SupportedOSPlatform("linux")]
public sealed class ReplayRunnerConservationTests
{
    /// <summary>Sequence n is dropped as unknown_vip when n % 5 == 1, as no_backend when n % 7 == 2, else transmitted.</summary>
    private static DropReason Script(uint sequence) =>
        sequence % 5 == 1 ? DropReason.UnknownVip : sequence % 7 == 2 ? DropReason.NoBackend : DropReason.None;

    /// <summary>200 frames; every 10th (from 3) is too long for a frame, every 10th (from 6) is a runt.</summary>
    private static int LengthOf(uint sequence) => (sequence % 10) switch
    {
        3 => sequence % 20 == 3 ? 3841 : 9000,
        6 => 10,
        8 => 3840, // exactly the room behind the headroom
        _ => 60 + (int)sequence,
    };

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(256)]
    public void Every_frame_is_transmitted_or_counted_under_one_reason(int batchSize)
    {
        uint[] sequences = Enumerable.Range(0, 200).Select(i => (uint)i).ToArray();
        byte[] input = PcapFiles.OfFrames(sequences.Select(s => ReplayHarness.Frame(s, LengthOf(s))).ToArray());
        var processor = new ScriptedVerdicts(Script);

        (ReplayCounts counts, var output) = ReplayHarness.Run(ref processor, input, batchSize);

        uint[] tooLong = sequences.Where(s => LengthOf(s) > 3840).ToArray();
        uint[] runts = sequences.Where(s => LengthOf(s) == 10).ToArray();
        uint[] processed = sequences.Except(tooLong).Except(runts).ToArray();
        Assert.Equal(200, counts.FramesIn);
        Assert.Equal(tooLong.Length, counts.TooLongForFrame);
        Assert.Equal(runts.Length, counts.Drops[(int)DropReason.FrameTooShort]);
        Assert.Equal(processed.Count(s => Script(s) == DropReason.UnknownVip), counts.Drops[(int)DropReason.UnknownVip]);
        Assert.Equal(processed.Count(s => Script(s) == DropReason.NoBackend), counts.Drops[(int)DropReason.NoBackend]);
        Assert.Equal(counts.FramesIn, counts.Transmitted + counts.Dropped);
        Assert.Equal(counts.Transmitted, output.Count);
        Assert.Equal(output.Sum(f => (long)f.Data.Length), counts.TransmittedBytes);
        Assert.Equal(sequences.Sum(s => (long)LengthOf(s)), counts.BytesIn);
        Assert.Equal(processed.Where(s => Script(s) == DropReason.None), output.Select(f => ReplayHarness.Sequence(f.Data)));
    }

    [Fact]
    public void Batches_are_filled_to_the_batch_size_and_frames_too_long_take_no_place_in_them()
    {
        byte[][] frames = Enumerable.Range(0, 140).Select(i => ReplayHarness.Frame((uint)i, i % 10 == 0 ? 5000 : 64)).ToArray();
        var processor = new ScriptedVerdicts(_ => DropReason.None);

        (ReplayCounts counts, _) = ReplayHarness.Run(ref processor, PcapFiles.OfFrames(frames), batchSize: 64);

        Assert.Equal([64, 62], processor.BatchSizes);
        Assert.Equal(2, counts.Batches);
        Assert.Equal(14, counts.TooLongForFrame);
    }

    [Fact]
    public void Each_written_frame_keeps_the_timestamp_of_its_input_record()
    {
        PcapRecord[] records = Enumerable.Range(0, 5).Select(i => new PcapRecord(1_700_000_000u + (uint)i, 1000u * (uint)i, ReplayHarness.Frame((uint)i))).ToArray();
        var processor = new ScriptedVerdicts(s => s == 2 ? DropReason.UnknownVip : DropReason.None);

        (_, var output) = ReplayHarness.Run(ref processor, PcapFiles.Classic(records));

        Assert.Equal(
            [new PcapTimestamp(1_700_000_000, 0), new PcapTimestamp(1_700_000_001, 1_000_000), new PcapTimestamp(1_700_000_003, 3_000_000), new PcapTimestamp(1_700_000_004, 4_000_000)],
            output.Select(f => f.Frame.Timestamp));
    }

    [Fact]
    public void Truncated_records_are_replayed_as_captured_and_counted()
    {
        PcapRecord[] records = [new(0, 0, ReplayHarness.Frame(0, 96), OriginalLength: 1514), new(0, 1, ReplayHarness.Frame(1, 64))];
        var processor = new ScriptedVerdicts(_ => DropReason.None);

        (ReplayCounts counts, var output) = ReplayHarness.Run(ref processor, PcapFiles.Classic(records));

        Assert.Equal(1, counts.TruncatedRecords);
        Assert.Equal(96, output[0].Data.Length);
        Assert.Equal(2, counts.Transmitted);
    }

    [Fact]
    public void An_empty_capture_gives_an_empty_output_and_never_calls_the_processor()
    {
        var processor = new ScriptedVerdicts(_ => DropReason.None);

        (ReplayCounts counts, var output) = ReplayHarness.Run(ref processor, PcapFiles.Classic([]));

        Assert.Empty(output);
        Assert.Empty(processor.BatchSizes);
        Assert.Equal(0, counts.FramesIn);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(257)]
    public void A_batch_size_outside_1_to_256_is_refused(int batchSize)
    {
        var processor = new ScriptedVerdicts(_ => DropReason.None);

        Assert.Throws<ArgumentOutOfRangeException>(() => ReplayHarness.Run(ref processor, PcapFiles.Classic([]), batchSize));
    }
}
