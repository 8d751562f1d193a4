using System.Runtime.CompilerServices;
using Forwarder.Packets;

namespace Forwarder.Rewrite;

/// <summary>Where the addresses and checksums sit in the headers a rewrite touches.</summary>
internal static class IpHeaderFields
{
    /// <summary>The IPv4 header checksum, from the header's start.</summary>
    public const int Ipv4Checksum = 10;

    /// <summary>The source address, from the IP header's start: 12 (IPv4) or 8 (IPv6).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int SourceAddress(IpVersion version) => version == IpVersion.V4 ? 12 : 8;

    /// <summary>The destination address, from the IP header's start: 16 (IPv4) or 24 (IPv6).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int DestinationAddress(IpVersion version) => version == IpVersion.V4 ? 16 : 24;

    /// <summary>
    /// The checksum field of a transport header, from its start: TCP 16, UDP 6, ICMP and ICMPv6 2.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int TransportChecksum(byte protocol) => protocol switch
    {
        IpProtocol.Tcp => 16,
        IpProtocol.Udp => 6,
        _ => 2,
    };

    /// <summary>An address of <paramref name="version"/> at <paramref name="at"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe WireAddress ReadAddress(byte* at, IpVersion version) =>
        version == IpVersion.V4 ? WireAddress.ReadV4(at) : WireAddress.ReadV6(at);

    /// <summary>Stores the address of <paramref name="version"/> (4 or 16 bytes) at <paramref name="at"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void WriteAddress(byte* at, in WireAddress address, IpVersion version)
    {
        if (version == IpVersion.V4)
            Unsafe.WriteUnaligned(at, address.V4);
        else
            OuterIpHeader.WriteAddress(at, address);
    }
}
