using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Forwarder.Packets;

namespace Forwarder.Rewrite;

/// <summary>
/// Katran's outer source address for IP-in-IP (<c>create_encap_ipv4_src</c>,
/// <c>create_encap_ipv6_src</c>): derived from the client's address and source port, so that the
/// backend's NIC spreads flows over its receive queues and the backend can tell them apart.
///
/// With the client port's high byte <c>hi</c> and low byte <c>lo</c> (host order value hi·256 + lo)
/// and a.b.c.d the client's IPv4 address, or the last 4 bytes of its IPv6 address:
/// <list type="bullet">
/// <item>IPv4 outer: 172.16.(c ^ lo).(d ^ hi). Katran computes <c>(htons(port) &lt;&lt; 16 ^ src) &amp; 0xFFFF0000 | 172.16</c>
/// over little-endian loads; 192.168.1.1 port 31337 (0x7A69) gives 172.16.104.123.</item>
/// <item>IPv6 outer: 0100:0000:0000:0000:0000:0000 followed by (a ^ hi).(b ^ lo).c.d — the 100::/64
/// prefix (bytes 01 00 00 00 00 00 00 00), 4 zero bytes, then Katran's <c>saddr[3] = src ^ port</c> with
/// <c>src</c> the last address word and <c>port</c> the wire port bytes, both loaded little-endian,
/// so the port's first wire byte (hi) meets the word's first byte (a).</item>
/// </list>
/// Both are computed byte-wise here, so the result is the same on a host of either byte order. The
/// port is the one <see cref="EncapsulationPort"/> gives: 0 for a "no source port" VIP, as in Katran.
/// </summary>
internal static unsafe class EncapsulationSource
{
    private const uint Ipv4Prefix = 0xAC10_0000; // 172.16.0.0
    private const uint LoadedIpv4Prefix = 0x10AC; // 172.16 as its wire bytes load on a little-endian host
    private const ulong Ipv6Prefix = 0x0100_0000_0000_0000; // 100::/64, bytes 01 00 00 00 00 00 00 00

    /// <summary>The IPv4 outer source as its 4 wire bytes load (<see cref="WireAddress.V4"/> form).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint V4(in ParsedPacket packet, ushort clientPort)
    {
        if (BitConverter.IsLittleEndian)
        {
            // Loaded, c and d are the upper two bytes; the port shifted up puts lo under c and hi under d.
            uint tail = packet.Version == IpVersion.V4 ? packet.Source.V4 : (uint)(packet.Source.Lower >> 32);
            return LoadedIpv4Prefix | ((tail ^ (uint)clientPort << 16) & 0xFFFF_0000);
        }
        uint client = ClientTail(packet); // a.b.c.d as a number, a in the top byte
        uint port = BinaryPrimitives.ReverseEndianness(clientPort); // lo·256 + hi
        uint address = Ipv4Prefix | ((client ^ port) & 0xFFFF);
        return BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(address) : address;
    }

    /// <summary>Writes the 16-byte IPv6 outer source at <paramref name="at"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteV6(byte* at, in ParsedPacket packet, ushort clientPort)
    {
        uint low = ClientTail(packet) ^ (uint)clientPort << 16; // (a ^ hi).(b ^ lo).c.d
        WireWriter.WriteUInt64BigEndian(at, Ipv6Prefix);
        Unsafe.WriteUnaligned(at + 8, 0u);
        WireWriter.WriteUInt32BigEndian(at + 12, low);
    }

    /// <summary>The client's IPv4 address, or the last 4 bytes of its IPv6 address, as a host-order number.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint ClientTail(in ParsedPacket packet)
    {
        // The 4 wire bytes as loaded: bytes 0–3 of an IPv4 address, 12–15 (the top half of Lower) of an IPv6 one.
        uint loaded = packet.Version == IpVersion.V4 ? packet.Source.V4 : BitConverter.IsLittleEndian
            ? (uint)(packet.Source.Lower >> 32)
            : (uint)packet.Source.Lower;
        return BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(loaded) : loaded;
    }
}
