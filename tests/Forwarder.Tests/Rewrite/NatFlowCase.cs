using System.Runtime.Versioning;
using Forwarder.Packets;
using Forwarder.Tests.Packets;

namespace Forwarder.Tests.Rewrite;

/// <summary>
/// A TCP/UDP flow shape (VLAN tag, IPv4 options, IPv6 extension headers, payload) that can be built
/// between any two endpoints, so a NAT test builds the received packet and, independently, the packet
/// the rewrite must turn it into — FrameBuilder fills in every checksum from scratch.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed record NatFlowCase(string Name, IpVersion Version, Func<FrameBuilder, FrameBuilder> Shape,
    Func<FrameBuilder, ushort, ushort, FrameBuilder> Transport, int Padding = 0)
{
    private static readonly Lazy<Dictionary<string, NatFlowCase>> Table = new(() => All().ToDictionary(c => c.Name));

    public static NatFlowCase Get(string name) => Table.Value[name];

    public static TheoryData<string> Names() => new(Table.Value.Keys);

    /// <summary>The frame from <paramref name="source"/>:<paramref name="sourcePort"/> to <paramref name="destination"/>:<paramref name="destinationPort"/>.</summary>
    public byte[] Build(string source, string destination, ushort sourcePort, ushort destinationPort, bool padded)
    {
        FrameBuilder builder = Version == IpVersion.V4 ? FrameBuilder.Ipv4(source, destination) : FrameBuilder.Ipv6(source, destination);
        return Transport(Shape(builder), sourcePort, destinationPort).Padding(padded ? Padding : 0).Build();
    }

    public override string ToString() => Name;

    private static IEnumerable<NatFlowCase> All()
    {
        static FrameBuilder Plain(FrameBuilder b) => b;
        static FrameBuilder Tcp(FrameBuilder b, ushort s, ushort d) => b.Tcp(s, d, TcpFlags.Ack | TcpFlags.Psh, payload: 33);
        static FrameBuilder Udp(FrameBuilder b, ushort s, ushort d) => b.Udp(s, d);

        yield return new("v4 tcp", IpVersion.V4, Plain, Tcp);
        yield return new("v4 udp with options, 802.1Q tag and link padding", IpVersion.V4, b => b.Ipv4Options(2).Vlan(0x2064),
            (b, s, d) => b.Udp(s, d, payload: 0), Padding: 14);
        yield return new("v4 tcp syn with 40 bytes of ip options and tcp options, 802.1ad tag", IpVersion.V4,
            b => b.Ipv4Options(10).Vlan(0x0FFF, EtherType.ServiceVlan), (b, s, d) => b.Tcp(s, d, TcpFlags.Syn, optionWords: 5));
        yield return new("v4 udp without DF, tos and low ttl", IpVersion.V4, b => b.Ipv4Fragment(0).TrafficClass(0xB8).HopLimit(2), Udp);
        yield return new("v6 tcp behind hop-by-hop, routing and destination options", IpVersion.V6,
            b => b.Extension(IpProtocol.HopByHopOptions).Extension(IpProtocol.Routing, 2).Extension(IpProtocol.DestinationOptions, 1), Tcp);
        yield return new("v6 udp with an 802.1Q tag and link padding", IpVersion.V6, b => b.Vlan(7), (b, s, d) => b.Udp(s, d, payload: 0), Padding: 6);
        yield return new("v6 tcp with traffic class and an odd-length payload", IpVersion.V6, b => b.TrafficClass(0x2E),
            (b, s, d) => b.Tcp(s, d, payload: 1001));
    }
}
