using System.Runtime.Versioning;
using Forwarder.Packets;
using Forwarder.Tests.Packets;

namespace Forwarder.Tests.Rewrite;

/// <summary>
/// Everything about a random packet except its endpoints: family, transport, VLAN tag, IPv4 options or
/// IPv6 extension headers, DF, ToS, hop limit, sizes, link padding. The same shape built between other
/// endpoints is what a NAT must produce; built as an echo or an ICMP error it feeds the other rewrites.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed record FlowShape(IpVersion Version, bool Tcp, ushort Tpid, ushort Tci, int Ipv4OptionWords, int Ipv6Extensions,
    bool DontFragment, byte TrafficClass, byte HopLimit, int TcpOptionWords, int Payload, int Padding)
{
    /// <summary>Bytes from the IP header to the transport header.</summary>
    public int TransportOffset => Version == IpVersion.V4 ? 20 + 4 * Ipv4OptionWords : 40 + Enumerable.Range(0, Ipv6Extensions).Sum(i => ExtensionUnits(i) * 8 + 8);

    public byte[] Build(string source, string destination, ushort sourcePort, ushort destinationPort, bool padded) =>
        Transport(Ip(source, destination), sourcePort, destinationPort).Padding(padded ? Padding : 0).Build();

    public byte[] BuildIpPacket(string source, string destination, ushort sourcePort, ushort destinationPort) =>
        Transport(Ip(source, destination), sourcePort, destinationPort).BuildIpPacket();

    /// <summary>An ICMP / ICMPv6 echo message of <paramref name="type"/> with <see cref="Payload"/> bytes of data.</summary>
    public byte[] BuildEcho(string source, string destination, byte type, uint identifierAndSequence, bool padded)
    {
        var data = new byte[Payload];
        for (int i = 0; i < data.Length; i++)
            data[i] = (byte)(i * 13 + Payload);
        FrameBuilder builder = Ip(source, destination);
        builder = Version == IpVersion.V4 ? builder.Icmp(type, 0, data, identifierAndSequence) : builder.Icmpv6(type, 0, data, identifierAndSequence);
        return builder.Padding(padded ? Padding : 0).Build();
    }

    /// <summary>
    /// A destination unreachable (ICMP 3/3, ICMPv6 1/4) from <paramref name="sender"/> to <paramref name="receiver"/>
    /// with this shape's tag, padding, ToS and hop limit, quoting <paramref name="quote"/>.
    /// </summary>
    public byte[] BuildError(string sender, string receiver, byte[] quote, bool padded)
    {
        FrameBuilder builder = Version == IpVersion.V4 ? FrameBuilder.Ipv4(sender, receiver) : FrameBuilder.Ipv6(sender, receiver);
        if (Tpid != 0)
            builder.Vlan(Tci, Tpid);
        builder.TrafficClass(TrafficClass).HopLimit(HopLimit);
        builder = Version == IpVersion.V4 ? builder.Icmp(3, 3, quote) : builder.Icmpv6(1, 4, quote);
        return builder.Padding(padded ? Padding : 0).Build();
    }

    private FrameBuilder Ip(string source, string destination)
    {
        FrameBuilder builder;
        if (Version == IpVersion.V4)
        {
            builder = FrameBuilder.Ipv4(source, destination).Ipv4Options(Ipv4OptionWords).Ipv4Fragment(DontFragment ? (ushort)0x4000 : (ushort)0);
        }
        else
        {
            builder = FrameBuilder.Ipv6(source, destination);
            for (int i = 0; i < Ipv6Extensions; i++)
                builder.Extension(i == 0 ? IpProtocol.HopByHopOptions : i == 1 ? IpProtocol.Routing : IpProtocol.DestinationOptions, ExtensionUnits(i));
        }
        if (Tpid != 0)
            builder.Vlan(Tci, Tpid);
        return builder.TrafficClass(TrafficClass).HopLimit(HopLimit);
    }

    private FrameBuilder Transport(FrameBuilder builder, ushort sourcePort, ushort destinationPort) => Tcp
        ? builder.Tcp(sourcePort, destinationPort, TcpFlags.Ack, TcpOptionWords, Payload)
        : builder.Udp(sourcePort, destinationPort, Payload);

    private static int ExtensionUnits(int index) => index % 3;
}
