using System.Runtime.Versioning;
using Forwarder.Replay;

namespace Forwarder.Tests.PacketCapture;

[SupportedOSPlatform("linux")]
public sealed class PcapngWriterTests
{
    private static readonly long Ticks = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc).Ticks + 1234560; // .123456 s

    [Fact]
    public void A_frame_block_is_exactly_the_specified_bytes()
    {
        var writer = new PcapngWriter();
        writer.WriteFrame(PcapngWriter.Transmitted, Ticks, originalLength: 7, [1, 2, 3, 4, 5]);

        ulong micros = (ulong)(Ticks - DateTime.UnixEpoch.Ticks) / 10;
        byte[] expected =
        [
            6, 0, 0, 0, 52, 0, 0, 0,                    // EPB, total length 52
            1, 0, 0, 0,                                 // interface 1 (tx)
            .. BitConverter.GetBytes((uint)(micros >> 32)), .. BitConverter.GetBytes((uint)micros),
            5, 0, 0, 0, 7, 0, 0, 0,                     // captured 5 of 7
            1, 2, 3, 4, 5, 0, 0, 0,                     // data padded to 4
            2, 0, 4, 0, 2, 0, 0, 0,                     // epb_flags: outbound
            0, 0, 0, 0,                                 // opt_endofopt
            52, 0, 0, 0,
        ];
        Assert.Equal(expected, writer.Pending.ToArray());
    }

    [Fact]
    public void A_whole_capture_reads_back_with_its_interfaces_frames_comments_and_statistics()
    {
        var writer = new PcapngWriter();
        writer.WriteHeader(snapLength: 128);
        writer.WriteFrame(PcapngWriter.Received, Ticks, 60, new byte[60]);
        writer.WriteFrame(PcapngWriter.Transmitted, Ticks, 80, Enumerable.Range(0, 80).Select(i => (byte)i).ToArray());
        writer.WriteFrame(PcapngWriter.Dropped, Ticks, 300, new byte[128], "drop: unknown_vip");
        writer.WriteStatistics(Ticks, Ticks + 10_000_000, received: 2, lost: 5);

        PcapngFile file = PcapngFile.Read(writer.Pending.ToArray());

        Assert.Equal("forwarder capture", file.Application);
        Assert.Equal(["rx", "tx", "drop"], file.Interfaces.Select(i => i.Name));
        Assert.All(file.Interfaces, i => Assert.Equal((1, 128u), (i.LinkType, i.SnapLength)));
        Assert.Equal([0u, 1u, 2u], file.Packets.Select(p => p.InterfaceId));
        Assert.Equal([1u, 2u, 1u], file.Packets.Select(p => p.Flags!.Value));
        Assert.Equal(Enumerable.Range(0, 80).Select(i => (byte)i), file.Packets[1].Data);
        Assert.Equal((300u, 128, "drop: unknown_vip"), (file.Packets[2].OriginalLength, file.Packets[2].Data.Length, file.Packets[2].Comment));
        Assert.Equal((ulong)(Ticks - DateTime.UnixEpoch.Ticks) / 10, file.Packets[0].Microseconds);
        PcapngFile.Statistics stats = Assert.Single(file.Stats);
        Assert.Equal((0u, 2ul, 5ul), (stats.InterfaceId, stats.Received, stats.Dropped));
        Assert.Equal("frames lost to capture ring overflow: 5", stats.Comment);
    }
}
