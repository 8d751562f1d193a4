using System.Net;
using System.Net.Sockets;

namespace Forwarder.Testing;

/// <summary>
/// RFC 1071 written the plain way, as a reference for the production code: big-endian 16-bit words,
/// end-around carry after every addition, an odd last byte padded with zero. Results are host-order numbers.
/// </summary>
public static class ReferenceChecksum
{
    public static ushort OnesComplementSum(ReadOnlySpan<byte> data, ushort start = 0)
    {
        uint sum = start;
        for (int i = 0; i < data.Length; i += 2)
        {
            uint word = (uint)data[i] << 8 | (i + 1 < data.Length ? data[i + 1] : 0u);
            sum += word;
            if (sum > 0xFFFF)
                sum = (sum & 0xFFFF) + 1;
        }
        return (ushort)sum;
    }

    public static ushort Compute(ReadOnlySpan<byte> data) => (ushort)~OnesComplementSum(data);

    /// <summary>The checksum of a transport segment behind the IPv4 pseudo-header (addresses as 4 bytes each).</summary>
    public static ushort TransportV4(ReadOnlySpan<byte> source, ReadOnlySpan<byte> destination, byte protocol, ReadOnlySpan<byte> segment)
    {
        var pseudo = new byte[12];
        source.CopyTo(pseudo);
        destination.CopyTo(pseudo.AsSpan(4));
        pseudo[9] = protocol;
        pseudo[10] = (byte)(segment.Length >> 8);
        pseudo[11] = (byte)segment.Length;
        return (ushort)~OnesComplementSum(segment, OnesComplementSum(pseudo));
    }

    /// <summary>The checksum of a transport segment behind the IPv6 pseudo-header (addresses as 16 bytes each).</summary>
    public static ushort TransportV6(ReadOnlySpan<byte> source, ReadOnlySpan<byte> destination, byte nextHeader, ReadOnlySpan<byte> segment)
    {
        var pseudo = new byte[40];
        source.CopyTo(pseudo);
        destination.CopyTo(pseudo.AsSpan(16));
        pseudo[32] = (byte)(segment.Length >> 24);
        pseudo[33] = (byte)(segment.Length >> 16);
        pseudo[34] = (byte)(segment.Length >> 8);
        pseudo[35] = (byte)segment.Length;
        pseudo[39] = nextHeader;
        return (ushort)~OnesComplementSum(segment, OnesComplementSum(pseudo));
    }

    /// <summary>The transport checksum behind the pseudo-header of the addresses' family (IPv4 or IPv6).</summary>
    public static ushort Transport(IPAddress source, IPAddress destination, byte protocol, ReadOnlySpan<byte> segment) =>
        source.AddressFamily == AddressFamily.InterNetwork
            ? TransportV4(source.GetAddressBytes(), destination.GetAddressBytes(), protocol, segment)
            : TransportV6(source.GetAddressBytes(), destination.GetAddressBytes(), protocol, segment);
}
