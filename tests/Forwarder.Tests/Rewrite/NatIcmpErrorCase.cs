using System.Runtime.Versioning;
using Forwarder.Packets;
using Forwarder.Tests.Packets;

namespace Forwarder.Tests.Rewrite;

/// <summary>
/// An ICMP / ICMPv6 error quoting the start of a TCP/UDP packet, buildable between any endpoints: a NAT
/// test builds the error as received and, independently, the error the rewrite must turn it into.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed record NatIcmpErrorCase(string Name, IpVersion Version, byte Type, byte Code, bool Tcp, int QuoteBytes,
    Func<FrameBuilder, FrameBuilder> QuotedShape, Func<FrameBuilder, FrameBuilder> OuterShape, int Padding = 0, bool ZeroUdpChecksum = false)
{
    private static readonly Lazy<Dictionary<string, NatIcmpErrorCase>> Table = new(() => All().ToDictionary(c => c.Name));

    public static NatIcmpErrorCase Get(string name) => Table.Value[name];

    public static TheoryData<string, bool> NamesWithPortChange()
    {
        var data = new TheoryData<string, bool>();
        foreach (string name in Table.Value.Keys)
        {
            data.Add(name, true);
            data.Add(name, false);
        }
        return data;
    }

    /// <summary>The error <paramref name="sender"/> → <paramref name="receiver"/> quoting a packet quotedSource:quotedSourcePort → quotedDestination:quotedDestinationPort.</summary>
    public byte[] Build(string sender, string receiver, string quotedSource, ushort quotedSourcePort, string quotedDestination, ushort quotedDestinationPort,
        bool padded)
    {
        FrameBuilder quoted = QuotedShape(Version == IpVersion.V4 ? FrameBuilder.Ipv4(quotedSource, quotedDestination) : FrameBuilder.Ipv6(quotedSource, quotedDestination));
        quoted = Tcp ? quoted.Tcp(quotedSourcePort, quotedDestinationPort, payload: 20) : quoted.Udp(quotedSourcePort, quotedDestinationPort);
        byte[] packet = quoted.BuildIpPacket();
        if (ZeroUdpChecksum)
            packet[(packet[0] & 15) * 4 + 6] = packet[(packet[0] & 15) * 4 + 7] = 0; // IPv4 cases only
        byte[] quote = packet[..Math.Min(QuoteBytes, packet.Length)];

        FrameBuilder outer = OuterShape(Version == IpVersion.V4 ? FrameBuilder.Ipv4(sender, receiver) : FrameBuilder.Ipv6(sender, receiver));
        outer = Version == IpVersion.V4 ? outer.Icmp(Type, Code, quote, rest: 1400) : outer.Icmpv6(Type, Code, quote, rest: 1280);
        return outer.Padding(padded ? Padding : 0).Build();
    }

    public override string ToString() => Name;

    private static IEnumerable<NatIcmpErrorCase> All()
    {
        static FrameBuilder Plain(FrameBuilder b) => b;

        yield return new("v4 fragmentation needed quoting a tcp header and 8 bytes (no tcp checksum in the quote)", IpVersion.V4, 3, 4, Tcp: true, 28, Plain, Plain);
        yield return new("v4 port unreachable quoting a whole udp packet", IpVersion.V4, 3, 3, Tcp: false, int.MaxValue, Plain, Plain);
        yield return new("v4 quoting a whole tcp packet with ip options, 802.1Q tag, link padding", IpVersion.V4, 3, 1, Tcp: true, int.MaxValue,
            b => b.Ipv4Options(2), b => b.Vlan(42), Padding: 10);
        yield return new("v4 quoting a whole udp packet without checksum", IpVersion.V4, 3, 3, Tcp: false, int.MaxValue, Plain, Plain, ZeroUdpChecksum: true);
        yield return new("v4 quoting just the udp header, error with ip options", IpVersion.V4, 3, 3, Tcp: false, 28, Plain, b => b.Ipv4Options(1));
        yield return new("v6 packet too big quoting a whole tcp packet", IpVersion.V6, 2, 0, Tcp: true, int.MaxValue, Plain, Plain);
        yield return new("v6 port unreachable quoting udp behind destination options, error behind hop-by-hop", IpVersion.V6, 1, 4, Tcp: false, int.MaxValue,
            b => b.Extension(IpProtocol.DestinationOptions, 1), b => b.Extension(IpProtocol.HopByHopOptions));
        yield return new("v6 packet too big quoting only the ports", IpVersion.V6, 2, 0, Tcp: true, 44, Plain, Plain);
        yield return new("v6 packet too big quoting a tcp header up to its checksum, 802.1ad tag", IpVersion.V6, 2, 0, Tcp: true, 56, Plain,
            b => b.Vlan(0x0123, EtherType.ServiceVlan), Padding: 4);
    }
}
