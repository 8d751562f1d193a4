using System.Runtime.Versioning;
using Forwarder.DataPlane;
using Forwarder.Replay;
using Forwarder.Packets;

namespace Forwarder.Tests.Replay;

/// <summary>Frames reach the processor as the worker receives them — one per chunk, behind the headroom — and go out from wherever the processor moved their start.</summary>
[SupportedOSPlatform("linux")]
public sealed class ReplayRunnerFrameLayoutTests
{
    [Fact]
    public void Frame_i_of_a_batch_starts_behind_the_headroom_of_chunk_i()
    {
        var processor = new MoveStart(0);

        ReplayHarness.Run(ref processor, PcapFiles.OfFrames([.. Enumerable.Range(0, 5).Select(i => ReplayHarness.Frame((uint)i))]), batchSize: 3);

        Assert.Equal([(256u, 0ul), (256u, 1ul), (256u, 2ul), (256u, 0ul), (256u, 1ul)], processor.Arrivals);
    }

    [Fact]
    public void A_frame_moved_into_its_headroom_is_written_from_its_new_start()
    {
        byte[] frame = ReplayHarness.Frame(7, 3840);
        var processor = new MoveStart(-20);

        (ReplayCounts counts, var output) = ReplayHarness.Run(ref processor, PcapFiles.OfFrames(frame));

        Assert.Equal([.. Enumerable.Repeat((byte)0xEE, 20), .. frame], output.Single().Data);
        Assert.Equal(3860, counts.TransmittedBytes);
    }

    [Fact]
    public void A_frame_shortened_from_its_front_is_written_from_its_new_start()
    {
        byte[] frame = ReplayHarness.Frame(7, 100);
        var processor = new MoveStart(+14);

        (_, var output) = ReplayHarness.Run(ref processor, PcapFiles.OfFrames(frame));

        Assert.Equal(frame[14..], output.Single().Data);
    }

    [Fact]
    public void A_processor_that_moves_a_frame_out_of_its_chunk_is_stopped_before_anything_is_read_outside_it()
    {
        var processor = new MoveStart(-300);

        var error = Assert.Throws<InvalidOperationException>(() =>
            ReplayHarness.Run(ref processor, PcapFiles.OfFrames(ReplayHarness.Frame(0), ReplayHarness.Frame(1))));

        Assert.Equal("record 1: the processor left the frame at address 18446744073709551572, length 364, outside its UMEM chunk [0, 4096)", error.Message);
    }

    [Fact]
    public void Frames_are_replayed_through_the_workers_L2_forwarding_stage()
    {
        byte[] nextHop = [2, 0, 0, 0, 0, 0xfe], own = [2, 0, 0, 0, 0, 2];
        var processor = new L2Forward(nextHop, own);
        byte[] frame = ReplayHarness.Frame(1);

        (ReplayCounts counts, var output) = ReplayHarness.Run(ref processor, PcapFiles.OfFrames(frame, new byte[13]));

        Assert.Equal([.. nextHop, .. own, .. frame[12..]], output.Single().Data);
        Assert.Equal(1, counts.Drops[(int)DropReason.FrameTooShort]);
    }
}
