using System.Buffers.Binary;
using System.Net;
using System.Runtime.Versioning;
using Forwarder.Tests.Packets;

namespace Forwarder.Tests.Rewrite;

/// <summary>
/// The headers a rewrite must produce, written out field by field in test code (checksums with
/// <see cref="ReferenceChecksum"/>), to compare outputs with byte for byte.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class ExpectedHeaders
{
    /// <summary>Destination MAC, source MAC, the VLAN tag if any, Ethernet type.</summary>
    public static byte[] Ethernet(byte[] destination, byte[] source, (ushort Tpid, ushort Tci)? tag, ushort etherType)
    {
        var header = new byte[tag is null ? 14 : 18];
        destination.CopyTo(header, 0);
        source.CopyTo(header, 6);
        int at = 12;
        if (tag is var (tpid, tci))
        {
            BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(12), tpid);
            BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(14), tci);
            at = 16;
        }
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(at), etherType);
        return header;
    }

    /// <summary>A 20-byte IPv4 header with ID 0 and its checksum.</summary>
    public static byte[] Ipv4(byte tos, int totalLength, bool dontFragment, byte ttl, byte protocol, byte[] source, byte[] destination)
    {
        var header = new byte[20];
        header[0] = 0x45;
        header[1] = tos;
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(2), (ushort)totalLength);
        header[6] = (byte)(dontFragment ? 0x40 : 0);
        header[8] = ttl;
        header[9] = protocol;
        source.CopyTo(header, 12);
        destination.CopyTo(header, 16);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(10), ReferenceChecksum.Compute(header));
        return header;
    }

    /// <summary>A 40-byte IPv6 header with flow label 0.</summary>
    public static byte[] Ipv6(byte trafficClass, int payloadLength, byte nextHeader, byte hopLimit, byte[] source, byte[] destination)
    {
        var header = new byte[40];
        header[0] = (byte)(0x60 | trafficClass >> 4);
        header[1] = (byte)(trafficClass << 4);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(4), (ushort)payloadLength);
        header[6] = nextHeader;
        header[7] = hopLimit;
        source.CopyTo(header, 8);
        destination.CopyTo(header, 24);
        return header;
    }

    /// <summary>Katran's IPv4 outer source for client a.b.c.d and port hi·256+lo: 172.16.(c ^ lo).(d ^ hi).</summary>
    public static byte[] KatranSourceV4(string client, ushort port)
    {
        byte[] a = IPAddress.Parse(client).GetAddressBytes();
        return [172, 16, (byte)(a[^2] ^ (port & 0xFF)), (byte)(a[^1] ^ (port >> 8))];
    }

    /// <summary>Katran's IPv6 outer source: 100::/64, then 4 zero bytes, then (a ^ hi).(b ^ lo).c.d over the client address's last 4 bytes.</summary>
    public static byte[] KatranSourceV6(string client, ushort port)
    {
        byte[] a = IPAddress.Parse(client).GetAddressBytes();
        var source = new byte[16];
        source[0] = 1;
        source[12] = (byte)(a[^4] ^ (port >> 8));
        source[13] = (byte)(a[^3] ^ (port & 0xFF));
        source[14] = a[^2];
        source[15] = a[^1];
        return source;
    }

    /// <summary>
    /// Katran's GUE outer UDP source port, as its two wire bytes (<c>pckt_encap.h</c> stores it without a byte swap),
    /// for client port hi·256+lo: IPv4 outer [c ^ lo, d ^ hi] for client a.b.c.d; IPv6 outer [x ^ hi, y ^ lo] with
    /// x, y bytes 12 and 13 of an IPv6 client, or c and d of an IPv4 client.
    /// </summary>
    public static byte[] KatranGuePort(string client, ushort port, bool outerV4)
    {
        byte[] a = IPAddress.Parse(client).GetAddressBytes();
        byte hi = (byte)(port >> 8), lo = (byte)port;
        if (outerV4)
            return [(byte)(a[^2] ^ lo), (byte)(a[^1] ^ hi)];
        return a.Length == 16 ? [(byte)(a[12] ^ hi), (byte)(a[13] ^ lo)] : [(byte)(a[2] ^ hi), (byte)(a[3] ^ lo)];
    }

    public static byte[] Bytes(string address) => IPAddress.Parse(address).GetAddressBytes();
}
