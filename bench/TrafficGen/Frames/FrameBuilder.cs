using System.Buffers.Binary;

namespace TrafficGen.Frames;

/// <summary>Builds the template frame of a <see cref="FrameSpec"/>, with valid IPv4, UDP and TCP checksums.</summary>
public static class FrameBuilder
{
    private const ushort EtherTypeIPv4 = 0x0800;
    private const ushort EtherTypeIPv6 = 0x86DD;
    private const byte ProtocolTcp = 6;
    private const byte ProtocolUdp = 17;
    private const byte Ttl = 64;
    private const byte TcpFlagSyn = 0x02;

    public static byte[] Build(FrameSpec spec)
    {
        spec.Validate();
        byte[] frame = new byte[spec.FrameSize];
        Span<byte> f = frame;

        spec.DestinationMac.GetAddressBytes().CopyTo(f);
        spec.SourceMac.GetAddressBytes().CopyTo(f[6..]);
        BinaryPrimitives.WriteUInt16BigEndian(f[12..], spec.IsIPv6 ? EtherTypeIPv6 : EtherTypeIPv4);

        // A SYN carries no payload: what the frame has beyond the headers is Ethernet padding.
        int l4Length = spec.Protocol == L4Protocol.Udp ? spec.FrameSize - spec.L4Offset : spec.L4HeaderLength;
        byte protocol = spec.Protocol == L4Protocol.Udp ? ProtocolUdp : ProtocolTcp;
        Span<byte> ip = f.Slice(FrameSpec.EthernetHeaderLength, spec.IpHeaderLength);
        if (spec.IsIPv6)
            WriteIPv6(ip, spec, protocol, l4Length);
        else
            WriteIPv4(ip, spec, protocol, l4Length);

        Span<byte> l4 = f.Slice(spec.L4Offset, l4Length);
        BinaryPrimitives.WriteUInt16BigEndian(l4, spec.SourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(l4[2..], spec.DestinationPort);
        if (spec.Protocol == L4Protocol.Udp)
        {
            BinaryPrimitives.WriteUInt16BigEndian(l4[4..], (ushort)l4Length);
            for (int i = 8; i < l4.Length; i++)
                l4[i] = (byte)i; // a recognisable payload
        }
        else
        {
            BinaryPrimitives.WriteUInt32BigEndian(l4[4..], 1); // sequence number
            l4[12] = 5 << 4; // data offset: 5 words, no options
            l4[13] = TcpFlagSyn;
            BinaryPrimitives.WriteUInt16BigEndian(l4[14..], 65535); // window
        }

        if (spec.Protocol != L4Protocol.Udp || spec.UdpChecksum)
        {
            ushort checksum = InternetChecksum.Finish(InternetChecksum.Add(PseudoHeaderSum(spec, protocol, l4Length), l4));
            if (checksum == 0 && spec.Protocol == L4Protocol.Udp)
                checksum = 0xffff; // 0 means "no checksum" in UDP
            BinaryPrimitives.WriteUInt16BigEndian(f[spec.L4ChecksumOffset..], checksum);
        }
        return frame;
    }

    private static void WriteIPv4(Span<byte> ip, FrameSpec spec, byte protocol, int l4Length)
    {
        ip[0] = 0x45; // version 4, 5-word header
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(20 + l4Length));
        BinaryPrimitives.WriteUInt16BigEndian(ip[6..], 0x4000); // don't fragment
        ip[8] = Ttl;
        ip[9] = protocol;
        spec.Source.GetAddressBytes().CopyTo(ip[12..]);
        spec.Destination.GetAddressBytes().CopyTo(ip[16..]);
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], InternetChecksum.Compute(ip));
    }

    private static void WriteIPv6(Span<byte> ip, FrameSpec spec, byte protocol, int l4Length)
    {
        ip[0] = 0x60; // version 6, traffic class and flow label 0
        BinaryPrimitives.WriteUInt16BigEndian(ip[4..], (ushort)l4Length);
        ip[6] = protocol;
        ip[7] = Ttl;
        spec.Source.GetAddressBytes().CopyTo(ip[8..]);
        spec.Destination.GetAddressBytes().CopyTo(ip[24..]);
    }

    /// <summary>Sum of the pseudo-header that UDP and TCP checksums cover (RFC 768, RFC 8200 section 8.1).</summary>
    private static ulong PseudoHeaderSum(FrameSpec spec, byte protocol, int l4Length)
    {
        ulong sum = InternetChecksum.Add(0, spec.Source.GetAddressBytes());
        sum = InternetChecksum.Add(sum, spec.Destination.GetAddressBytes());
        return sum + protocol + (ulong)l4Length;
    }
}
