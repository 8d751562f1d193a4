using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace TrafficGen.Frames;

/// <summary>
/// What one generated frame looks like: Ethernet, then IPv4 (no options) or IPv6 (no extension headers),
/// then UDP or a TCP SYN. <see cref="FrameSize"/> is the length handed to the kernel, Ethernet header
/// included, frame check sequence excluded. UDP payload fills the frame; a TCP SYN carries none and the
/// rest of the frame is Ethernet padding.
/// </summary>
public sealed record FrameSpec(
    PhysicalAddress SourceMac,
    PhysicalAddress DestinationMac,
    IPAddress Source,
    IPAddress Destination,
    ushort SourcePort,
    ushort DestinationPort,
    L4Protocol Protocol,
    int FrameSize,
    bool UdpChecksum = true)
{
    public const int EthernetHeaderLength = 14;
    public const int MaxFrameSize = 1514;

    public bool IsIPv6 => Source.AddressFamily == AddressFamily.InterNetworkV6;

    public int IpHeaderLength => IsIPv6 ? 40 : 20;

    public int L4HeaderLength => Protocol == L4Protocol.Udp ? 8 : 20;

    public int L4Offset => EthernetHeaderLength + IpHeaderLength;

    public int HeadersLength => L4Offset + L4HeaderLength;

    /// <summary>Offset of the UDP or TCP checksum in the frame.</summary>
    public int L4ChecksumOffset => L4Offset + (Protocol == L4Protocol.Udp ? 6 : 16);

    /// <summary>Offset of the low 32 bits of the source address (all of it for IPv4).</summary>
    public int SourceLowOffset => EthernetHeaderLength + (IsIPv6 ? 8 + 12 : 12);

    /// <summary>Throws <see cref="ArgumentException"/> with a readable reason when the spec cannot be built.</summary>
    public void Validate()
    {
        if (SourceMac.GetAddressBytes().Length != 6 || DestinationMac.GetAddressBytes().Length != 6)
            throw new ArgumentException("MAC addresses must have 6 bytes");
        if (Source.AddressFamily != Destination.AddressFamily)
            throw new ArgumentException($"Source {Source} and destination {Destination} are not of the same address family");
        if (Source.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
            throw new ArgumentException($"{Source} is neither IPv4 nor IPv6");
        if (FrameSize < HeadersLength || FrameSize > MaxFrameSize)
            throw new ArgumentException($"Frame size {FrameSize} is outside {HeadersLength}..{MaxFrameSize} for {(IsIPv6 ? "IPv6" : "IPv4")} {Protocol}");
        if (!UdpChecksum && (IsIPv6 || Protocol != L4Protocol.Udp))
            throw new ArgumentException("Only IPv4 UDP may go without a checksum");
    }
}
