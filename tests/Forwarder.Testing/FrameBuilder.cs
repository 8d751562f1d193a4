using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Forwarder.Packets;

namespace Forwarder.Testing;

/// <summary>
/// Builds test frames layer by layer: Ethernet with VLAN tags, IPv4 with options or IPv6 with extension
/// headers, then TCP, UDP, ICMP, ICMPv6, an encapsulated packet (IP-in-IP, GUE) or raw bytes. Lengths
/// and checksums are filled in correctly (with <see cref="ReferenceChecksum"/>) unless a setter
/// overrides a field to make the frame malformed.
/// </summary>
public sealed class FrameBuilder
{
    public static readonly byte[] DestinationMac = [0x02, 0, 0, 0, 0, 0x01];
    public static readonly byte[] SourceMac = [0x02, 0, 0, 0, 0, 0x02];

    /// <summary>The protocol number of IPv4 inside IP (IP-in-IP).</summary>
    public const byte IpInIp = 4;

    /// <summary>The protocol number of IPv6 inside IP.</summary>
    public const byte Ipv6InIp = 41;

    private readonly bool _v4;
    private readonly byte[] _source;
    private readonly byte[] _destination;
    private byte[] _destinationMac = DestinationMac;
    private byte[] _sourceMac = SourceMac;
    private ushort _identification = 0x1234;
    private uint _flowLabel = 0x12345;
    private int _minimumLength;
    private readonly List<(ushort Tpid, ushort Tci)> _vlanTags = [];
    private readonly List<byte[]> _extensions = [];
    private ushort? _etherType;
    private byte _trafficClass;
    private byte _hopLimit = 64;
    private ushort _ipv4FlagsAndOffset = 0x4000; // DF
    private byte[] _ipv4Options = [];
    private int? _versionNibble;
    private int? _ihl;
    private int? _ipLength;
    private byte _protocol = WireNumbers.Udp;
    private byte[] _transport = [];
    private int _checksumOffset = -1;
    private bool _pseudoHeaderChecksum;
    private int _padding;

    private FrameBuilder(bool v4, string source, string destination)
    {
        _v4 = v4;
        _source = IPAddress.Parse(source).GetAddressBytes();
        _destination = IPAddress.Parse(destination).GetAddressBytes();
        if (_source.Length != (v4 ? 4 : 16) || _destination.Length != _source.Length)
            throw new ArgumentException("addresses do not match the IP version");
    }

    public static FrameBuilder Ipv4(string source, string destination) => new(v4: true, source, destination);

    public static FrameBuilder Ipv6(string source, string destination) => new(v4: false, source, destination);

    /// <summary>IPv4 or IPv6, by the family of the addresses.</summary>
    public static FrameBuilder Ip(IPAddress source, IPAddress destination) =>
        new(source.AddressFamily == AddressFamily.InterNetwork, source.ToString(), destination.ToString());

    /// <summary>An Ethernet header (IPv4 or IPv6 by the packet's version nibble) in front of a finished IP packet.</summary>
    public static byte[] Ethernet(byte[] destinationMac, byte[] sourceMac, ReadOnlySpan<byte> ipPacket)
    {
        var frame = new byte[14 + ipPacket.Length];
        destinationMac.CopyTo(frame, 0);
        sourceMac.CopyTo(frame, 6);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), (ipPacket[0] >> 4) == 4 ? WireNumbers.EtherTypeIpv4 : WireNumbers.EtherTypeIpv6);
        ipPacket.CopyTo(frame.AsSpan(14));
        return frame;
    }

    /// <summary>The MAC addresses (<see cref="DestinationMac"/> and <see cref="SourceMac"/> unless set).</summary>
    public FrameBuilder Macs(byte[] destination, byte[] source) { _destinationMac = destination; _sourceMac = source; return this; }

    /// <summary>Adds a VLAN tag (802.1Q by default); a second call adds a second, inner tag.</summary>
    public FrameBuilder Vlan(ushort tci, ushort tpid = WireNumbers.EtherTypeVlan) { _vlanTags.Add((tpid, tci)); return this; }

    public FrameBuilder WithEtherType(ushort etherType) { _etherType = etherType; return this; }

    public FrameBuilder TrafficClass(byte value) { _trafficClass = value; return this; }

    public FrameBuilder HopLimit(byte value) { _hopLimit = value; return this; }

    /// <summary>The IPv4 identification field (0x1234 unless set).</summary>
    public FrameBuilder Identification(ushort value) { _identification = value; return this; }

    /// <summary>The IPv6 flow label (0x12345 unless set).</summary>
    public FrameBuilder FlowLabel(uint value) { _flowLabel = value & 0xFFFFF; return this; }

    /// <summary>IPv4 flags (DF 0x4000, MF 0x2000) and fragment offset in 8-byte units.</summary>
    public FrameBuilder Ipv4Fragment(ushort flagsAndOffset) { _ipv4FlagsAndOffset = flagsAndOffset; return this; }

    /// <summary>IPv4 options: NOPs ending in an end-of-options byte, <paramref name="words"/> 4-byte words in all.</summary>
    public FrameBuilder Ipv4Options(int words)
    {
        _ipv4Options = new byte[words * 4];
        _ipv4Options.AsSpan().Fill(1);
        if (words > 0)
            _ipv4Options[^1] = 0;
        return this;
    }

    public FrameBuilder VersionNibble(int value) { _versionNibble = value; return this; }

    public FrameBuilder Ihl(int value) { _ihl = value; return this; }

    /// <summary>Overrides the IPv4 total length or the IPv6 payload length.</summary>
    public FrameBuilder IpLength(int value) { _ipLength = value; return this; }

    /// <summary>An IPv6 hop-by-hop, routing or destination options header of (<paramref name="units"/> + 1) × 8 bytes, padded with PadN.</summary>
    public FrameBuilder Extension(byte type, int units = 0)
    {
        var header = new byte[(units + 1) * 8];
        header[1] = (byte)units;
        if (type == WireNumbers.Routing)
        {
            header[2] = 4; // segment routing; segments left 0
        }
        else
        {
            header[2] = 1; // PadN over the rest
            header[3] = (byte)(header.Length - 4);
        }
        _extensions.Add([type, .. header]);
        return this;
    }

    /// <summary>An IPv6 fragment header: offset in 8-byte units, M flag.</summary>
    public FrameBuilder FragmentHeader(ushort offset, bool more, uint identification = 0x01020304)
    {
        var header = new byte[8];
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(2), (ushort)(offset << 3 | (more ? 1 : 0)));
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), identification);
        _extensions.Add([WireNumbers.Fragment, .. header]);
        return this;
    }

    /// <summary>
    /// A TCP segment: <paramref name="optionWords"/> words of NOP options, then <paramref name="data"/> or else
    /// <paramref name="payload"/> bytes of a pattern.
    /// </summary>
    public FrameBuilder Tcp(ushort sourcePort, ushort destinationPort, TcpFlags flags = (TcpFlags)WireNumbers.TcpAck, int optionWords = 0, int payload = 0, int? dataOffset = null,
        uint sequence = 0x11223344, uint acknowledgment = 0, ushort window = 65535, byte[]? data = null)
    {
        int payloadLength = data?.Length ?? payload;
        var tcp = new byte[20 + optionWords * 4 + payloadLength];
        BinaryPrimitives.WriteUInt16BigEndian(tcp, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(tcp.AsSpan(2), destinationPort);
        BinaryPrimitives.WriteUInt32BigEndian(tcp.AsSpan(4), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(tcp.AsSpan(8), acknowledgment);
        tcp[12] = (byte)((dataOffset ?? 5 + optionWords) << 4);
        tcp[13] = (byte)flags;
        BinaryPrimitives.WriteUInt16BigEndian(tcp.AsSpan(14), window);
        tcp.AsSpan(20, optionWords * 4).Fill(1); // NOP options
        if (data is null)
            Pattern(tcp.AsSpan(20 + optionWords * 4));
        else
            data.CopyTo(tcp, 20 + optionWords * 4);
        return Transport(WireNumbers.Tcp, tcp, checksumOffset: 16, pseudoHeader: true);
    }

    /// <summary>A UDP datagram with <paramref name="payload"/> bytes of a pattern; <paramref name="length"/> overrides its length field.</summary>
    public FrameBuilder Udp(ushort sourcePort, ushort destinationPort, int payload = 18, int? length = null)
    {
        var udp = new byte[8 + payload];
        Pattern(udp.AsSpan(8));
        return Udp(sourcePort, destinationPort, udp, length);
    }

    /// <summary>A UDP datagram carrying <paramref name="data"/>.</summary>
    public FrameBuilder Udp(ushort sourcePort, ushort destinationPort, ReadOnlySpan<byte> data)
    {
        var udp = new byte[8 + data.Length];
        data.CopyTo(udp.AsSpan(8));
        return Udp(sourcePort, destinationPort, udp, length: null);
    }

    /// <summary>IP-in-IP: <paramref name="innerPacket"/> (IPv4 or IPv6, by its version nibble) behind this IP header.</summary>
    public FrameBuilder Ipip(ReadOnlySpan<byte> innerPacket) =>
        Transport((innerPacket[0] >> 4) == 4 ? IpInIp : Ipv6InIp, innerPacket.ToArray());

    /// <summary>GUE variant 1: <paramref name="innerPacket"/> is the whole payload of a UDP datagram.</summary>
    public FrameBuilder Gue(ushort sourcePort, ushort destinationPort, ReadOnlySpan<byte> innerPacket) =>
        Udp(sourcePort, destinationPort, innerPacket);

    /// <summary>ICMP over IPv4: type, code, the 4 "rest of header" bytes (e.g. the next-hop MTU), then <paramref name="body"/>.</summary>
    public FrameBuilder Icmp(byte type, byte code, ReadOnlySpan<byte> body = default, uint rest = 0) =>
        Transport(WireNumbers.Icmp, IcmpMessage(type, code, body, rest), checksumOffset: 2, pseudoHeader: false);

    /// <summary>ICMPv6: type, code, the 4 "rest of header" bytes (e.g. the MTU of packet too big), then <paramref name="body"/>.</summary>
    public FrameBuilder Icmpv6(byte type, byte code, ReadOnlySpan<byte> body = default, uint rest = 0) =>
        Transport(WireNumbers.Icmpv6, IcmpMessage(type, code, body, rest), checksumOffset: 2, pseudoHeader: true);

    /// <summary>Any protocol number with the given bytes after the IP header; no checksum is filled in.</summary>
    public FrameBuilder Transport(byte protocol, byte[] bytes, int checksumOffset = -1, bool pseudoHeader = false)
    {
        _protocol = protocol;
        _transport = bytes;
        _checksumOffset = checksumOffset;
        _pseudoHeaderChecksum = pseudoHeader;
        return this;
    }

    /// <summary>Leaves the transport checksum field as it is (zero unless the bytes set it): e.g. IPv4 UDP without a checksum.</summary>
    public FrameBuilder WithoutTransportChecksum() { _checksumOffset = -1; return this; }

    /// <summary>Zero bytes after the IP packet, as Ethernet pads short frames.</summary>
    public FrameBuilder Padding(int bytes) { _padding = bytes; return this; }

    /// <summary>Zero bytes after the IP packet up to <paramref name="frameLength"/> (Ethernet's minimum is 60), if it is shorter.</summary>
    public FrameBuilder MinimumLength(int frameLength) { _minimumLength = frameLength; return this; }

    public byte[] Build()
    {
        byte[] ip = BuildIpPacket();
        int length = 14 + 4 * _vlanTags.Count + ip.Length + _padding;
        var frame = new List<byte>(Math.Max(length, _minimumLength));
        frame.AddRange(_destinationMac);
        frame.AddRange(_sourceMac);
        foreach (var (tpid, tci) in _vlanTags)
        {
            AddBigEndian(frame, tpid);
            AddBigEndian(frame, tci);
        }
        AddBigEndian(frame, _etherType ?? (_v4 ? WireNumbers.EtherTypeIpv4 : WireNumbers.EtherTypeIpv6));
        frame.AddRange(ip);
        frame.AddRange(new byte[Math.Max(_padding, _minimumLength - length + _padding)]);
        return [.. frame];
    }

    /// <summary>The IP packet alone, without Ethernet (e.g. to quote it in an ICMP error).</summary>
    public byte[] BuildIpPacket()
    {
        byte[] transport = [.. _transport];
        FillTransportChecksum(transport);
        return _v4 ? BuildIpv4(transport) : BuildIpv6(transport);
    }

    private byte[] BuildIpv4(byte[] transport)
    {
        int headerLength = 20 + _ipv4Options.Length;
        var packet = new byte[headerLength + transport.Length];
        packet[0] = (byte)((_versionNibble ?? 4) << 4 | (_ihl ?? headerLength / 4) & 0x0F);
        packet[1] = _trafficClass;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)(_ipLength ?? packet.Length));
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), _identification);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(6), _ipv4FlagsAndOffset);
        packet[8] = _hopLimit;
        packet[9] = _protocol;
        _source.CopyTo(packet, 12);
        _destination.CopyTo(packet, 16);
        _ipv4Options.CopyTo(packet, 20);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), ReferenceChecksum.Compute(packet.AsSpan(0, headerLength)));
        transport.CopyTo(packet, headerLength);
        return packet;
    }

    private byte[] BuildIpv6(byte[] transport)
    {
        int extensionLength = _extensions.Sum(e => e.Length - 1);
        var packet = new byte[40 + extensionLength + transport.Length];
        uint first = (uint)(_versionNibble ?? 6) << 28 | (uint)_trafficClass << 20 | _flowLabel;
        BinaryPrimitives.WriteUInt32BigEndian(packet, first);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), (ushort)(_ipLength ?? packet.Length - 40));
        packet[7] = _hopLimit;
        _source.CopyTo(packet, 8);
        _destination.CopyTo(packet, 24);
        int nextHeaderAt = 6;
        int offset = 40;
        foreach (byte[] extension in _extensions)
        {
            packet[nextHeaderAt] = extension[0];
            extension.AsSpan(1).CopyTo(packet.AsSpan(offset));
            nextHeaderAt = offset;
            offset += extension.Length - 1;
        }
        packet[nextHeaderAt] = _protocol;
        transport.CopyTo(packet, offset);
        return packet;
    }

    private FrameBuilder Udp(ushort sourcePort, ushort destinationPort, byte[] udp, int? length)
    {
        BinaryPrimitives.WriteUInt16BigEndian(udp, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(udp.AsSpan(2), destinationPort);
        BinaryPrimitives.WriteUInt16BigEndian(udp.AsSpan(4), (ushort)(length ?? udp.Length));
        return Transport(WireNumbers.Udp, udp, checksumOffset: 6, pseudoHeader: true);
    }

    private void FillTransportChecksum(byte[] transport)
    {
        if (_checksumOffset < 0 || _checksumOffset + 2 > transport.Length)
            return;
        ushort checksum;
        if (!_pseudoHeaderChecksum)
            checksum = ReferenceChecksum.Compute(transport);
        else if (_v4)
            checksum = ReferenceChecksum.TransportV4(_source, _destination, _protocol, transport);
        else
            checksum = ReferenceChecksum.TransportV6(_source, _destination, _protocol, transport);
        if (_protocol == WireNumbers.Udp && checksum == 0)
            checksum = 0xFFFF;
        BinaryPrimitives.WriteUInt16BigEndian(transport.AsSpan(_checksumOffset), checksum);
    }

    private static byte[] IcmpMessage(byte type, byte code, ReadOnlySpan<byte> body, uint rest)
    {
        var message = new byte[8 + body.Length];
        message[0] = type;
        message[1] = code;
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(4), rest);
        body.CopyTo(message.AsSpan(8));
        return message;
    }

    private static void Pattern(Span<byte> bytes)
    {
        for (int i = 0; i < bytes.Length; i++)
            bytes[i] = (byte)(0xA0 + i);
    }

    private static void AddBigEndian(List<byte> bytes, ushort value)
    {
        bytes.Add((byte)(value >> 8));
        bytes.Add((byte)value);
    }
}
