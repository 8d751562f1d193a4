using System.Runtime.Versioning;
using Forwarder.Replay;

namespace Forwarder.Tests.Replay;

/// <summary>Classic pcap files read in both byte orders and both resolutions, and what the writer writes reads back the same.</summary>
[SupportedOSPlatform("linux")]
public sealed class PcapRoundTripTests
{
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void Frames_timestamps_record_numbers_and_offsets_read_in_either_byte_order_and_resolution(bool bigEndian, bool nanoseconds)
    {
        byte[] first = PcapFiles.Frame(60), second = PcapFiles.Frame(1514, seed: 3);
        uint fraction = nanoseconds ? 123_456_789u : 123_456u;
        byte[] file = PcapFiles.Classic([new(1_700_000_000, fraction, first), new(1_700_000_001, 0, second)], bigEndian, nanoseconds);

        var frames = PcapFiles.ReadAll(file);

        Assert.Equal(2, frames.Count);
        Assert.Equal(first, frames[0].Data);
        Assert.Equal(second, frames[1].Data);
        Assert.Equal(new PcapTimestamp(1_700_000_000, nanoseconds ? 123_456_789u : 123_456_000u), frames[0].Frame.Timestamp);
        Assert.Equal(new PcapTimestamp(1_700_000_001, 0), frames[1].Frame.Timestamp);
        Assert.Equal([1L, 2L], frames.Select(f => f.Frame.Record));
        Assert.Equal([24L, 24L + 16 + 60], frames.Select(f => f.Frame.Offset));
        Assert.All(frames, f => Assert.False(f.Frame.IsTruncated));
    }

    [Fact]
    public void The_header_says_which_byte_order_and_resolution_the_file_has()
    {
        using var reader = (PcapReader)CaptureFile.Open(new MemoryStream(PcapFiles.Classic([], bigEndian: true, nanoseconds: true, snapLength: 262144)), "x.pcap");

        Assert.True(reader.IsBigEndian);
        Assert.True(reader.Nanoseconds);
        Assert.Equal(262144u, reader.SnapLength);
        Assert.Equal(1u, reader.LinkType);
        Assert.False(reader.TryRead(out _));
    }

    [Fact]
    public void Written_frames_read_back_unchanged_with_their_timestamps_to_the_microsecond()
    {
        (PcapTimestamp Timestamp, byte[] Data)[] written =
        [
            (new PcapTimestamp(1_700_000_000, 999_999_999), PcapFiles.Frame(60)),
            (new PcapTimestamp(0, 0), PcapFiles.Frame(14, seed: 1)),
            (new PcapTimestamp(uint.MaxValue, 1_000), PcapFiles.Frame(3840, seed: 2)),
        ];
        var stream = new MemoryStream();
        using (var writer = new PcapWriter(stream, leaveOpen: true))
        {
            foreach ((PcapTimestamp timestamp, byte[] data) in written)
                writer.Write(timestamp, data);
            Assert.Equal(3, writer.Frames);
        }

        var frames = PcapFiles.ReadAll(stream.ToArray());

        Assert.Equal(written.Select(w => w.Data), frames.Select(f => f.Data));
        Assert.Equal(
            [new PcapTimestamp(1_700_000_000, 999_999_000), new PcapTimestamp(0, 0), new PcapTimestamp(uint.MaxValue, 1_000)],
            frames.Select(f => f.Frame.Timestamp));
    }

    [Fact]
    public void The_writer_writes_tcpdump_s_header_little_endian_microseconds_Ethernet_snap_length_65535()
    {
        var stream = new MemoryStream();
        using (var writer = new PcapWriter(stream, leaveOpen: true))
            writer.Write(new PcapTimestamp(0x01020304, 5_000), [0xAA, 0xBB]);

        byte[] expected =
        [
            0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 1, 0, 0, 0,
            0x04, 0x03, 0x02, 0x01, 5, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 0xAA, 0xBB,
        ];
        Assert.Equal(expected, stream.ToArray());
    }

    [Fact]
    public void A_timestamp_fraction_of_a_second_or_more_carries_into_the_seconds()
    {
        byte[] file = PcapFiles.Classic([new(10, 2_500_000, PcapFiles.Frame(60))]);

        Assert.Equal(new PcapTimestamp(12, 500_000_000), PcapFiles.ReadAll(file)[0].Frame.Timestamp);
    }

    [Fact]
    public void A_record_captured_shorter_than_the_wire_frame_is_read_as_captured_and_marked_truncated()
    {
        byte[] file = PcapFiles.Classic([new(0, 0, PcapFiles.Frame(96), OriginalLength: 1514)]);

        (CapturedFrame frame, byte[] data) = PcapFiles.ReadAll(file).Single();

        Assert.Equal(PcapFiles.Frame(96), data);
        Assert.Equal(1514u, frame.OriginalLength);
        Assert.True(frame.IsTruncated);
    }

    [Fact]
    public void The_writer_refuses_what_a_classic_pcap_cannot_hold()
    {
        using var writer = new PcapWriter(new MemoryStream());

        Assert.Equal("timestamp -1.000000000 does not fit a pcap file (seconds 0 to 4294967295)",
            Assert.Throws<PcapException>(() => writer.Write(new PcapTimestamp(-1, 0), [1])).Message);
        Assert.Equal("a frame of 65536 bytes is longer than the snap length 65535",
            Assert.Throws<PcapException>(() => writer.Write(default, new byte[65536])).Message);
    }
}
