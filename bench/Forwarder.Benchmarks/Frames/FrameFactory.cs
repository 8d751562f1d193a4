using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Forwarder.Packets;

namespace Forwarder.Benchmarks.Frames;

/// <summary>
/// Builds the frames the benchmarks feed the data path: Ethernet, IPv4 (no options, DF set) or IPv6
/// (no extension headers), then TCP (an ACK, 20 bytes) or UDP, a payload, and every checksum right.
/// Frames shorter than Ethernet's 60-byte minimum are padded with zeros, as they arrive from a link.
/// </summary>
internal static class FrameFactory
{
    public const int MinimumFrame = 60;

    /// <summary>The clients' MAC (source of received frames).</summary>
    public static readonly byte[] ClientMac = [0x02, 0, 0, 0, 0, 0x20];

    /// <summary>The forwarder's own MAC (destination of received frames).</summary>
    public static readonly byte[] OwnMac = [0x02, 0, 0, 0, 0, 0x0a];

    public static byte[] Build(string source, string destination, ushort sourcePort, ushort destinationPort, bool tcp, int payload, byte tos = 0) =>
        Build(IPAddress.Parse(source), IPAddress.Parse(destination), sourcePort, destinationPort, tcp, payload, tos);

    public static byte[] Build(IPAddress source, IPAddress destination, ushort sourcePort, ushort destinationPort, bool tcp, int payload, byte tos = 0)
    {
        bool v6 = source.AddressFamily == AddressFamily.InterNetworkV6;
        if (v6 != (destination.AddressFamily == AddressFamily.InterNetworkV6))
            throw new ArgumentException($"{source} and {destination} are not of one family");
        int ipHeader = v6 ? 40 : 20;
        int l4Header = tcp ? 20 : 8;
        int segment = l4Header + payload;
        int ipEnd = 14 + ipHeader + segment;
        var frame = new byte[Math.Max(ipEnd, MinimumFrame)];
        Span<byte> f = frame;

        OwnMac.CopyTo(f);
        ClientMac.CopyTo(f[6..]);
        BinaryPrimitives.WriteUInt16BigEndian(f[12..], v6 ? EtherType.Ipv6 : EtherType.Ipv4);

        Span<byte> ip = f[14..];
        byte protocol = tcp ? IpProtocol.Tcp : IpProtocol.Udp;
        byte[] src = source.GetAddressBytes(), dst = destination.GetAddressBytes();
        if (v6)
        {
            BinaryPrimitives.WriteUInt32BigEndian(ip, 0x6000_0000u | (uint)tos << 20);
            BinaryPrimitives.WriteUInt16BigEndian(ip[4..], (ushort)segment);
            ip[6] = protocol;
            ip[7] = 64;
            src.CopyTo(ip[8..]);
            dst.CopyTo(ip[24..]);
        }
        else
        {
            ip[0] = 0x45;
            ip[1] = tos;
            BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(ipHeader + segment));
            BinaryPrimitives.WriteUInt16BigEndian(ip[4..], (ushort)(sourcePort ^ destinationPort)); // some ID
            BinaryPrimitives.WriteUInt16BigEndian(ip[6..], 0x4000); // DF
            ip[8] = 64;
            ip[9] = protocol;
            src.CopyTo(ip[12..]);
            dst.CopyTo(ip[16..]);
            Checksum.WriteIpv4Header(ip[..20]);
        }

        Span<byte> l4 = ip.Slice(ipHeader, segment);
        BinaryPrimitives.WriteUInt16BigEndian(l4, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(l4[2..], destinationPort);
        if (tcp)
        {
            BinaryPrimitives.WriteUInt32BigEndian(l4[4..], 0x1000_0000u + sourcePort); // sequence
            BinaryPrimitives.WriteUInt32BigEndian(l4[8..], 0x2000_0000u + destinationPort); // acknowledgment
            l4[12] = 5 << 4;
            l4[13] = 0x10; // ACK
            BinaryPrimitives.WriteUInt16BigEndian(l4[14..], 64240);
        }
        else
        {
            BinaryPrimitives.WriteUInt16BigEndian(l4[4..], (ushort)segment);
        }
        for (int i = 0; i < payload; i++)
            l4[l4Header + i] = (byte)(i * 7 + sourcePort);

        WireAddress s = WireAddress.FromBytes(src), d = WireAddress.FromBytes(dst);
        ushort checksum = v6 ? ChecksumPseudoHeader.ComputeV6(s, d, protocol, l4) : ChecksumPseudoHeader.ComputeV4(s.V4, d.V4, protocol, l4);
        if (!tcp)
            checksum = Checksum.ForUdp(checksum);
        MemoryMarshal.Write(l4[(tcp ? 16 : 6)..], in checksum); // the checksum is kept as its wire bytes load
        return frame;
    }
}
