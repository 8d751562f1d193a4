using System.Runtime.Versioning;
using Forwarder.Replay;

namespace Forwarder.Tests.Replay;

/// <summary>pcapng files: packet blocks in either byte order, timestamp resolutions and offsets, skipped blocks, several sections.</summary>
[SupportedOSPlatform("linux")]
public sealed class PcapngReaderTests
{
    private static readonly byte[] First = PcapFiles.Frame(60), Second = PcapFiles.Frame(98, seed: 5);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Enhanced_packets_read_in_either_byte_order_with_microsecond_timestamps_by_default(bool bigEndian)
    {
        byte[] file = new PcapngFile().Section(bigEndian).Interface()
            .Enhanced(0, 1_700_000_000_123_456, First)
            .Enhanced(0, 1_700_000_001_000_000, Second, originalLength: 1514)
            .Build();

        var frames = PcapFiles.ReadAll(file, "in.pcapng");

        Assert.Equal([First, Second], frames.Select(f => f.Data));
        Assert.Equal([new PcapTimestamp(1_700_000_000, 123_456_000), new PcapTimestamp(1_700_000_001, 0)], frames.Select(f => f.Frame.Timestamp));
        Assert.Equal([1L, 2L], frames.Select(f => f.Frame.Record));
        Assert.Equal([false, true], frames.Select(f => f.Frame.IsTruncated));
    }

    [Theory]
    [InlineData((byte)9, 1_700_000_000_123_456_789UL, 123_456_789u)]   // 10^-9
    [InlineData((byte)0x8A, (1_700_000_000UL << 10) + 512, 500_000_000u)] // 2^-10
    [InlineData((byte)0, 1_700_000_000UL, 0u)]                          // whole seconds
    public void The_interface_s_timestamp_resolution_applies(byte resolution, ulong ticks, uint nanoseconds)
    {
        byte[] file = new PcapngFile().Section().Interface(resolution: resolution).Enhanced(0, ticks, First).Build();

        Assert.Equal(new PcapTimestamp(1_700_000_000, nanoseconds), PcapFiles.ReadAll(file).Single().Frame.Timestamp);
    }

    [Fact]
    public void The_interface_s_timestamp_offset_is_added()
    {
        byte[] file = new PcapngFile().Section(bigEndian: true).Interface(offsetSeconds: 1_000).Enhanced(0, 5_000_001, First).Build();

        Assert.Equal(new PcapTimestamp(1_005, 1_000), PcapFiles.ReadAll(file).Single().Frame.Timestamp);
    }

    [Fact]
    public void A_simple_packet_has_no_timestamp_and_keeps_at_most_the_snap_length()
    {
        byte[] file = new PcapngFile().Section().Interface(snapLength: 40).Simple(First).Build();

        (CapturedFrame frame, byte[] data) = PcapFiles.ReadAll(file).Single();

        Assert.Equal(First[..40], data);
        Assert.Equal(60u, frame.OriginalLength);
        Assert.Equal(default, frame.Timestamp);
    }

    [Fact]
    public void Blocks_that_carry_no_packet_are_skipped()
    {
        byte[] file = new PcapngFile().Section().Interface()
            .Block(5, new byte[24])            // interface statistics
            .Enhanced(0, 0, First)
            .Block(0x40000BAD, new byte[7])    // custom block
            .Enhanced(0, 0, Second)
            .Build();

        Assert.Equal([First, Second], PcapFiles.ReadAll(file).Select(f => f.Data));
    }

    [Fact]
    public void Each_section_has_its_own_byte_order_and_interfaces()
    {
        byte[] file = new PcapngFile()
            .Section(bigEndian: false).Interface(resolution: 9).Enhanced(0, 2_000_000_000, First)
            .Section(bigEndian: true).Interface().Enhanced(0, 3_000_000, Second)
            .Build();

        var frames = PcapFiles.ReadAll(file);

        Assert.Equal([First, Second], frames.Select(f => f.Data));
        Assert.Equal([new PcapTimestamp(2, 0), new PcapTimestamp(3, 0)], frames.Select(f => f.Frame.Timestamp));
    }

    [Fact]
    public void An_interface_that_is_not_Ethernet_is_refused_by_number_and_link_type()
    {
        byte[] file = new PcapngFile().Section().Interface().Interface(linkType: 276).Build();

        Assert.Equal("in.pcapng: interface 1 (block at offset 48) has link type 276 (LINUX_SLL2), not supported: replay reads Ethernet captures (link type 1) only; capture on one interface (tcpdump -i eth0 -w FILE), not on 'any'",
            PcapFiles.ReadError(file, "in.pcapng").Message);
    }

    [Fact]
    public void A_packet_of_an_undescribed_interface_is_refused()
    {
        var file = new PcapngFile().Section().Interface();
        int offset = file.Offset;

        Assert.Equal($"in.pcapng: record 1 at offset {offset}: names interface 1, but its section describes 1 interface(s)",
            PcapFiles.ReadError(file.Enhanced(1, 0, First).Build(), "in.pcapng").Message);
    }

    [Fact]
    public void A_block_whose_closing_length_differs_is_corrupt()
    {
        var file = new PcapngFile().Section().Interface();
        int offset = file.Offset;

        Assert.Equal($"in.pcapng: block at offset {offset}: the block's closing length 12 differs from its opening length 16; the file is corrupt",
            PcapFiles.ReadError(file.Block(0x40000BAD, new byte[4], closingLength: 12).Build(), "in.pcapng").Message);
    }

    [Fact]
    public void A_file_cut_inside_a_block_says_how_much_of_it_there_is()
    {
        byte[] whole = new PcapngFile().Section().Interface().Enhanced(0, 0, First).Build();

        Assert.Equal("in.pcapng: block at offset 48: the file ends inside the block (50 of 92 bytes)",
            PcapFiles.ReadError(whole[..(48 + 50)], "in.pcapng").Message);
    }

    [Fact]
    public void Another_major_version_is_refused()
    {
        Assert.Equal("in.pcapng: block at offset 0: pcapng version 2.0 is not supported (1.0 expected)",
            PcapFiles.ReadError(new PcapngFile().Section(major: 2).Build(), "in.pcapng").Message);
    }
}
