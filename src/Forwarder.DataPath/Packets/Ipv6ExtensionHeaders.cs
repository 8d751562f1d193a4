using System.Runtime.CompilerServices;

namespace Forwarder.Packets;

/// <summary>
/// Walks an IPv6 extension header chain: hop-by-hop options, routing and destination options
/// (length field in 8-byte units, not counting the first 8) and the fragment header (always 8 bytes).
/// Any other next-header value ends the walk: it is the upper-layer protocol, supported or not.
/// </summary>
internal static unsafe class Ipv6ExtensionHeaders
{
    /// <summary>How many extension headers one packet may carry before the parser gives up on it.</summary>
    public const int MaxCount = 8;

    /// <summary>A fragment header's offset and M-flag bits (the rest of its 16-bit word is reserved).</summary>
    public const ushort FragmentOffsetAndMoreFlag = 0xFFF9;

    /// <summary>The offset bits alone: non-zero in every fragment but the first.</summary>
    public const ushort FragmentOffsetMask = 0xFFF8;

    private const int FixedPartLength = 8;

    /// <summary>
    /// Skips extension headers from <paramref name="offset"/> while they end at or before <paramref name="end"/>.
    /// Stops on the first upper-layer value, leaving it in <paramref name="nextHeader"/> and its offset in
    /// <paramref name="offset"/>, with <paramref name="fragmentField"/> = 0; or right after a fragment header
    /// that makes the packet a fragment (offset or M set), with that header's offset and M bits in
    /// <paramref name="fragmentField"/> — the bytes after it may not be headers. An atomic fragment
    /// (offset 0, M clear; RFC 6946) is a whole packet and is walked through.
    /// Each header spends one of <paramref name="budget"/>; when the budget is spent, the answer is
    /// <see cref="DropReason.UnsupportedL4"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DropReason Skip(byte* frame, ref nuint offset, nuint end, ref byte nextHeader, ref int budget, out ushort fragmentField)
    {
        fragmentField = 0;
        while (true)
        {
            byte current = nextHeader;
            bool isFragment = current == IpProtocol.Fragment;
            if (!isFragment && current != IpProtocol.HopByHopOptions && current != IpProtocol.Routing && current != IpProtocol.DestinationOptions)
                return DropReason.None;
            if (budget == 0)
                return DropReason.UnsupportedL4;
            budget--;
            if (end - offset < FixedPartLength)
                return DropReason.Truncated;
            byte* header = frame + offset;
            nextHeader = header[0];
            if (isFragment)
            {
                offset += FixedPartLength;
                ushort field = (ushort)(WireReader.ReadUInt16BigEndian(header + 2) & FragmentOffsetAndMoreFlag);
                if (field != 0)
                {
                    fragmentField = field;
                    return DropReason.None;
                }
                continue;
            }
            nuint length = ((nuint)header[1] + 1) * FixedPartLength;
            if (length > end - offset)
                return DropReason.Truncated;
            offset += length;
        }
    }
}
