using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Forwarder.IntegrationTests.Decap;

/// <summary>
/// Builds complete frames byte by byte, with every checksum computed: what the load balancer would
/// send, without needing tunnel devices the kernel here does not have.
/// </summary>
public static class PacketBuilder
{
    public const byte ProtocolIpip = 4;
    public const byte ProtocolTcp = 6;
    public const byte ProtocolUdp = 17;
    public const byte ProtocolIpv6 = 41;
    public const ushort EtherTypeIpv4 = 0x0800;
    public const ushort EtherTypeIpv6 = 0x86DD;

    public const byte TcpSyn = 0x02;
    public const byte TcpAck = 0x10;

    public static byte[] Ethernet(byte[] destination, byte[] source, ReadOnlySpan<byte> ipPacket)
    {
        var frame = new byte[14 + ipPacket.Length];
        destination.CopyTo(frame, 0);
        source.CopyTo(frame, 6);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), (ipPacket[0] >> 4) == 4 ? EtherTypeIpv4 : EtherTypeIpv6);
        ipPacket.CopyTo(frame.AsSpan(14));
        return frame;
    }

    /// <summary>An IPv4 or IPv6 packet, by the family of the addresses.</summary>
    public static byte[] Ip(IPAddress source, IPAddress destination, byte protocol, ReadOnlySpan<byte> payload) =>
        source.AddressFamily == AddressFamily.InterNetwork ? Ipv4(source, destination, protocol, payload) : Ipv6(source, destination, protocol, payload);

    public static byte[] Ipv4(IPAddress source, IPAddress destination, byte protocol, ReadOnlySpan<byte> payload)
    {
        var packet = new byte[20 + payload.Length];
        packet[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
        packet[8] = 64; // TTL
        packet[9] = protocol;
        source.GetAddressBytes().CopyTo(packet, 12);
        destination.GetAddressBytes().CopyTo(packet, 16);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), ReferenceChecksum.Compute(packet.AsSpan(0, 20)));
        payload.CopyTo(packet.AsSpan(20));
        return packet;
    }

    public static byte[] Ipv6(IPAddress source, IPAddress destination, byte nextHeader, ReadOnlySpan<byte> payload)
    {
        var packet = new byte[40 + payload.Length];
        packet[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), (ushort)payload.Length);
        packet[6] = nextHeader;
        packet[7] = 64; // hop limit
        source.GetAddressBytes().CopyTo(packet, 8);
        destination.GetAddressBytes().CopyTo(packet, 24);
        payload.CopyTo(packet.AsSpan(40));
        return packet;
    }

    /// <summary>A UDP datagram inside its IP packet.</summary>
    public static byte[] UdpPacket(IPEndPoint source, IPEndPoint destination, ReadOnlySpan<byte> payload)
    {
        var udp = new byte[8 + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(udp, (ushort)source.Port);
        BinaryPrimitives.WriteUInt16BigEndian(udp.AsSpan(2), (ushort)destination.Port);
        BinaryPrimitives.WriteUInt16BigEndian(udp.AsSpan(4), (ushort)udp.Length);
        payload.CopyTo(udp.AsSpan(8));
        ushort checksum = TransportChecksum(source.Address, destination.Address, ProtocolUdp, udp);
        BinaryPrimitives.WriteUInt16BigEndian(udp.AsSpan(6), checksum == 0 ? (ushort)0xFFFF : checksum);
        return Ip(source.Address, destination.Address, ProtocolUdp, udp);
    }

    /// <summary>A TCP segment without options or payload inside its IP packet.</summary>
    public static byte[] TcpPacket(IPEndPoint source, IPEndPoint destination, uint sequence, uint acknowledgment, byte flags)
    {
        var tcp = new byte[20];
        BinaryPrimitives.WriteUInt16BigEndian(tcp, (ushort)source.Port);
        BinaryPrimitives.WriteUInt16BigEndian(tcp.AsSpan(2), (ushort)destination.Port);
        BinaryPrimitives.WriteUInt32BigEndian(tcp.AsSpan(4), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(tcp.AsSpan(8), acknowledgment);
        tcp[12] = 5 << 4; // data offset: 5 words
        tcp[13] = flags;
        BinaryPrimitives.WriteUInt16BigEndian(tcp.AsSpan(14), 64240); // window
        BinaryPrimitives.WriteUInt16BigEndian(tcp.AsSpan(16), TransportChecksum(source.Address, destination.Address, ProtocolTcp, tcp));
        return Ip(source.Address, destination.Address, ProtocolTcp, tcp);
    }

    /// <summary>ipip: the inner packet behind an outer IP header, protocol 4 (IPv4 inside) or 41 (IPv6 inside).</summary>
    public static byte[] Ipip(IPAddress outerSource, IPAddress outerDestination, ReadOnlySpan<byte> innerPacket) =>
        Ip(outerSource, outerDestination, (innerPacket[0] >> 4) == 4 ? ProtocolIpip : ProtocolIpv6, innerPacket);

    /// <summary>GUE variant 1: the inner packet is the whole payload of an outer UDP datagram.</summary>
    public static byte[] Gue(IPEndPoint outerSource, IPEndPoint outerDestination, ReadOnlySpan<byte> innerPacket) =>
        UdpPacket(outerSource, outerDestination, innerPacket);

    private static ushort TransportChecksum(IPAddress source, IPAddress destination, byte protocol, ReadOnlySpan<byte> segment) =>
        ReferenceChecksum.Transport(source, destination, protocol, segment);
}
