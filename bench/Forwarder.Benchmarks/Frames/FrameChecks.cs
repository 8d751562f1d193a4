using Forwarder.Packets;

namespace Forwarder.Benchmarks.Frames;

/// <summary>Setup-time checks that a benchmark's frames are still what a receiver would accept.</summary>
internal static unsafe class FrameChecks
{
    /// <summary>The frame parses, and its IPv4 header checksum and TCP/UDP checksum (recomputed from scratch) are right.</summary>
    public static bool ChecksumsValid(ReadOnlySpan<byte> frame)
    {
        if (PacketParser.Parse(frame, out ParsedPacket packet) != DropReason.None || packet.Kind != PacketKind.Flow)
            return false;
        ReadOnlySpan<byte> ip = frame[packet.L3Offset..packet.IpEnd];
        ReadOnlySpan<byte> segment = frame[packet.L4Offset..packet.IpEnd];
        fixed (byte* header = ip)
        {
            if (packet.Version == IpVersion.V4)
            {
                return Checksum.IsValid(ip[..(packet.L4Offset - packet.L3Offset)])
                    && ChecksumPseudoHeader.IsValidV4(WireAddress.ReadV4(header + 12).V4, WireAddress.ReadV4(header + 16).V4, packet.Protocol, segment);
            }
            return ChecksumPseudoHeader.IsValidV6(WireAddress.ReadV6(header + 8), WireAddress.ReadV6(header + 24), packet.Protocol, segment);
        }
    }

    /// <summary>Throws unless every frame of <paramref name="area"/> passes <see cref="ChecksumsValid"/>.</summary>
    public static void RequireValid(FrameArea area, string when)
    {
        for (int i = 0; i < area.Count; i++)
        {
            if (!ChecksumsValid(area.Current(i)))
                throw new InvalidOperationException($"frame {i} has a wrong checksum {when}");
        }
    }
}
