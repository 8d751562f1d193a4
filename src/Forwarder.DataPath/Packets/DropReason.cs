namespace Forwarder.Packets;

/// <summary>
/// Why a received frame was not transmitted. Every frame that is not forwarded is counted under
/// exactly one of these. <see cref="None"/> is the verdict "transmit".
/// </summary>
public enum DropReason : byte
{
    None = 0,
    /// <summary>Shorter than an Ethernet header.</summary>
    FrameTooShort,
    /// <summary>The TX ring had no room for the frame.</summary>
    TxRingFull,
    /// <summary>A header (VLAN tag, IP, extension, transport, ICMP or the packet an ICMP error quotes) runs past the end of the frame or of its IP packet.</summary>
    Truncated,
    /// <summary>Neither IPv4 nor IPv6 after the Ethernet header and at most one VLAN tag.</summary>
    UnsupportedL3,
    /// <summary>An IP header that contradicts itself: wrong version, header length below the minimum, total length shorter than the header.</summary>
    BadIpHeader,
    /// <summary>A fragment of an IP packet (IPv4 MF or offset, IPv6 fragment header); only whole packets are balanced.</summary>
    IpFragment,
    /// <summary>A transport protocol other than TCP, UDP, ICMP (over IPv4) and ICMPv6 (over IPv6), or an IPv6 extension header chain we do not walk.</summary>
    UnsupportedL4,
    /// <summary>A TCP data offset below 5 words or a UDP length outside [8, IP payload].</summary>
    BadL4Header,
    /// <summary>An ICMP message other than echo request and destination unreachable / packet too big, or one whose quoted packet carries no TCP/UDP flow.</summary>
    IcmpUnsupported,
    /// <summary>Addressed to no configured VIP (address, port and protocol) and not a reply of a <c>nat</c> backend.</summary>
    UnknownVip,
    /// <summary>The VIP has no backend with a positive weight (or every backend is down): counted, never sent to a stale backend.</summary>
    NoBackend,
    /// <summary>The packet would exceed the MTU once encapsulated and could not be answered with ICMP (an ICMP error itself, or IPv4 without DF).</summary>
    PacketTooBig,
    /// <summary>The frame had too little headroom in its UMEM chunk for the headers its mode adds.</summary>
    NoHeadroom,
    /// <summary>An ICMP echo request to an address that is not a VIP's.</summary>
    EchoNotForVip,
    /// <summary>
    /// The benchmarking switch <c>forwarder run --receive-only</c> (<c>ReceiveOnlyProcessor</c>, in DataPlane) is on: the
    /// frame was parsed, classified, hashed, looked up and rewritten like any other, then returned to FILL instead of
    /// being transmitted. Frames the processor itself dropped keep their own reason.
    /// </summary>
    ReceiveOnly,
    /// <summary>
    /// Not for a VIP and addressed to one of this host's own addresses: a packet of a <c>nat</c> backend for the host
    /// itself (a health probe's answer, ssh, an ICMP error about the host's own datagram), never rewritten as a reply.
    /// The XDP program hands these to the kernel; the workers see one only while a new address is not yet in its map.
    /// </summary>
    ToHost,
    /// <summary>From a client outside the VIP's <c>allowed_sources</c> (for an ICMP error: about a flow of such a client).</summary>
    SourceNotAllowed,
}
