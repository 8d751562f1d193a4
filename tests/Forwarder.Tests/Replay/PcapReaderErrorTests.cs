using System.Runtime.Versioning;
using Forwarder.Replay;

namespace Forwarder.Tests.Replay;

/// <summary>A file that is not an Ethernet capture, or a corrupt or cut one, is refused with a message naming the file and, for a record, its number and offset.</summary>
[SupportedOSPlatform("linux")]
public sealed class PcapReaderErrorTests
{
    private static readonly byte[] Frame60 = PcapFiles.Frame(60);

    [Fact]
    public void An_empty_file_is_not_a_capture()
    {
        Assert.Equal("in.pcap: not a capture file: 0 byte(s), too short for a pcap or pcapng header",
            PcapFiles.ReadError([], "in.pcap").Message);
    }

    [Fact]
    public void A_file_with_another_magic_number_is_not_a_capture()
    {
        Assert.Equal("in.pcap: not a capture file: it starts with 7f 45 4c 46, not a pcap magic (a1b2c3d4 or a1b23c4d, either byte order) nor a pcapng section header (0a0d0d0a)",
            PcapFiles.ReadError([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0], "in.pcap").Message);
    }

    [Fact]
    public void A_file_cut_inside_its_header_says_how_much_of_it_there_is()
    {
        byte[] file = PcapFiles.Classic([])[..10];

        Assert.Equal("in.pcap: the file ends inside the pcap file header (10 of 24 bytes)", PcapFiles.ReadError(file, "in.pcap").Message);
    }

    [Fact]
    public void Another_major_version_is_refused()
    {
        Assert.Equal("in.pcap: pcap version 1.0 is not supported (2.4 expected)",
            PcapFiles.ReadError(PcapFiles.Classic([], major: 1, minor: 0), "in.pcap").Message);
    }

    [Fact]
    public void A_capture_of_the_any_interface_is_refused_with_what_to_capture_instead()
    {
        Assert.Equal("in.pcap: link type 113 (LINUX_SLL), not supported: replay reads Ethernet captures (link type 1) only; capture on one interface (tcpdump -i eth0 -w FILE), not on 'any'",
            PcapFiles.ReadError(PcapFiles.Classic([], linkType: 113), "in.pcap").Message);
    }

    [Theory]
    [InlineData(101u, "RAW")]
    [InlineData(127u, "IEEE802_11_RADIOTAP")]
    [InlineData(4242u, "unknown")]
    public void Any_link_type_but_Ethernet_is_refused_by_number_and_name(uint linkType, string name)
    {
        Assert.Equal($"in.pcap: link type {linkType} ({name}), not supported: replay reads Ethernet captures (link type 1) only",
            PcapFiles.ReadError(PcapFiles.Classic([], bigEndian: true, linkType: linkType), "in.pcap").Message);
    }

    [Fact]
    public void Ethernet_with_a_frame_check_sequence_after_each_frame_is_refused()
    {
        Assert.Equal("in.pcap: the link type field 0x14000001 announces a frame check sequence or other extras after each frame; replay reads plain Ethernet captures only",
            PcapFiles.ReadError(PcapFiles.Classic([], linkType: 0x14000001), "in.pcap").Message);
    }

    [Fact]
    public void A_file_cut_inside_a_record_header_names_the_record_and_its_offset()
    {
        byte[] file = PcapFiles.Classic([new(0, 0, Frame60), new(1, 0, Frame60)])[..(24 + 16 + 60 + 5)];

        Assert.Equal("in.pcap: record 2 at offset 100: the file ends inside the record header (5 of 16 bytes)",
            PcapFiles.ReadError(file, "in.pcap").Message);
    }

    [Fact]
    public void A_file_cut_inside_a_frame_names_the_record_and_its_offset()
    {
        byte[] file = PcapFiles.Classic([new(0, 0, Frame60), new(1, 0, Frame60)])[..(24 + 16 + 60 + 16 + 30)];

        Assert.Equal("in.pcap: record 2 at offset 100: the file ends inside the frame (30 of 60 bytes)",
            PcapFiles.ReadError(file, "in.pcap").Message);
    }

    [Fact]
    public void An_impossible_captured_length_is_reported_as_corruption_before_anything_is_read()
    {
        byte[] file = PcapFiles.Classic([new(0, 0, Frame60)], bigEndian: true);
        file[24 + 8] = 0xff; // captured length 0xff00003c

        Assert.Equal("in.pcap: record 1 at offset 24: captured length 4278190140 is more than any frame (262144 bytes at most); the file is corrupt",
            PcapFiles.ReadError(file, "in.pcap").Message);
    }

    [Fact]
    public void The_records_before_a_bad_one_are_read()
    {
        byte[] file = PcapFiles.Classic([new(0, 0, Frame60), new(1, 0, Frame60)])[..^1];
        using ICaptureReader reader = CaptureFile.Open(new MemoryStream(file), "in.pcap");

        Assert.True(reader.TryRead(out CapturedFrame first));
        Assert.Equal(Frame60, first.Data.ToArray());
        Assert.Throws<PcapException>(() => reader.TryRead(out _));
    }
}
