using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Forwarder.Hashing;

namespace Forwarder.Packets;

/// <summary>
/// What <see cref="PacketParser"/> found in one frame. Every offset counts bytes from the frame's first
/// byte and has been checked against the frame: the bytes a field names are inside the frame.
///
/// The flow fields (<see cref="Source"/>, <see cref="Destination"/>, <see cref="Protocol"/>,
/// <see cref="PortsWord"/>) always describe the flow as the client sends it: source = client,
/// destination = VIP. For an <see cref="PacketKind.IcmpError"/> they come from the packet the error
/// quotes, which the VIP side sent to the client, so its addresses and ports are swapped back
/// (as Katran's <c>parse_icmp</c>/<c>parse_icmpv6</c> and <c>parse_tcp</c>/<c>parse_udp</c> do):
/// client = quoted destination, VIP = quoted source, client port = quoted destination port,
/// VIP port = quoted source port. Hashing these fields sends the error to the backend of the flow.
///
/// The IP fields (<see cref="L3Offset"/>, <see cref="TrafficClass"/>, <see cref="HopLimit"/>,
/// <see cref="IpTotalLength"/>, <see cref="DontFragment"/>) describe the outer packet as received.
/// Fields that do not apply to a packet are zero.
/// </summary>
public struct ParsedPacket
{
    /// <summary>The client's address (IPv4 in the first 4 bytes).</summary>
    public WireAddress Source;

    /// <summary>The VIP (IPv4 in the first 4 bytes).</summary>
    public WireAddress Destination;

    /// <summary>
    /// The client port and the VIP port as 4 wire bytes [client port, VIP port] loaded as they are in
    /// memory: Katran's <c>flow.ports</c>, ready for <see cref="FlowHash"/>. Zero for echo requests.
    /// </summary>
    public uint PortsWord;

    /// <summary>Where the IPv4 or IPv6 header starts: 14, or 18 behind a VLAN tag.</summary>
    public int L3Offset;

    /// <summary>Where the outer transport header starts (TCP, UDP, ICMP or ICMPv6), past IPv4 options and IPv6 extension headers.</summary>
    public int L4Offset;

    /// <summary>For <see cref="PacketKind.IcmpError"/>: where the quoted IP header starts.</summary>
    public int EmbeddedL3Offset;

    /// <summary>For <see cref="PacketKind.IcmpError"/>: where the quoted TCP/UDP header starts (at least its 4 port bytes are in the frame).</summary>
    public int EmbeddedL4Offset;

    /// <summary>IPv4 total length, or IPv6 40 + payload length: the IP packet ends at <see cref="L3Offset"/> + this, at or before the frame's end.</summary>
    public int IpTotalLength;

    /// <summary>The 802.1Q/802.1ad tag control information (priority, DEI, VLAN id) when <see cref="HasVlan"/>.</summary>
    public ushort VlanTci;

    public PacketKind Kind;

    public IpVersion Version;

    /// <summary>TCP (6) or UDP (17) for flows and ICMP errors (the quoted packet's protocol); ICMP (1) or ICMPv6 (58) for echo requests.</summary>
    public byte Protocol;

    /// <summary>IPv4 ToS or IPv6 traffic class (DSCP and ECN) of the outer packet.</summary>
    public byte TrafficClass;

    /// <summary>IPv4 TTL or IPv6 hop limit of the outer packet.</summary>
    public byte HopLimit;

    /// <summary>The TCP flags of a TCP <see cref="PacketKind.Flow"/>; none otherwise (an ICMP error's quoted flags are not reported).</summary>
    public TcpFlags TcpFlags;

    /// <summary>The ICMP or ICMPv6 type of echo requests and ICMP errors.</summary>
    public byte IcmpType;

    /// <summary>The ICMP or ICMPv6 code of echo requests and ICMP errors.</summary>
    public byte IcmpCode;

    public bool HasVlan;

    /// <summary>IPv4 DF was set on the outer packet.</summary>
    public bool DontFragment;

    /// <summary>The outer packet is a fragment (then the parser's verdict is <c>IpFragment</c>).</summary>
    public bool Fragment;

    /// <summary>The 12-bit VLAN id of the tag, 0 without one.</summary>
    public readonly ushort VlanId => (ushort)(VlanTci & 0x0FFF);

    /// <summary>The client's port in host order.</summary>
    public readonly ushort SourcePort =>
        BinaryPrimitives.ReadUInt16BigEndian(MemoryMarshal.AsBytes(new ReadOnlySpan<uint>(in PortsWord)));

    /// <summary>The VIP's port in host order.</summary>
    public readonly ushort DestinationPort =>
        BinaryPrimitives.ReadUInt16BigEndian(MemoryMarshal.AsBytes(new ReadOnlySpan<uint>(in PortsWord))[2..]);

    /// <summary>Where the IP packet ends; bytes from here to the frame's end are link-layer padding.</summary>
    public readonly int IpEnd => L3Offset + IpTotalLength;

    /// <summary>
    /// The word that stands for the client address in the flow hash: the IPv4 address as loaded, or
    /// the IPv6 address folded by <see cref="FlowHash.SourceWordV6"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly uint FlowSourceWord() =>
        Version == IpVersion.V6 ? FlowHash.SourceWordV6(Source.Bytes) : Source.V4;
}
