using System.Runtime.Versioning;
using Forwarder.Packets;
using Forwarder.Tests.Packets;
using static Forwarder.Tests.Packets.ParserFixtures;

namespace Forwarder.Tests.Rewrite;

/// <summary>
/// Received frames to encapsulate, with the client flow the outer source derives from (for an ICMP
/// error, the flow of the packet it quotes) and a backend of either family.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed record EncapsulationCase(string Name, byte[] Frame, string Client, ushort ClientPort, string Backend)
{
    public const string Backend4 = "10.0.0.2";
    public const string Backend6 = "fc00::2";

    private static readonly Lazy<Dictionary<string, EncapsulationCase>> Table = new(() => All().ToDictionary(c => c.Name));

    public static EncapsulationCase Get(string name) => Table.Value[name];

    public static TheoryData<string> Names() => new(Table.Value.Keys);

    public override string ToString() => Name;

    private static IEnumerable<EncapsulationCase> All()
    {
        yield return new("v4 udp, Katran's reference client, to a v4 backend",
            FrameBuilder.Ipv4(Client4, Vip4).Udp(31337, 80).Build(), Client4, 31337, Backend4);
        yield return new("v4 tcp with options, tos, 802.1Q tag and link padding, to a v4 backend",
            FrameBuilder.Ipv4(Client4, Vip4).Vlan(0x2064).Ipv4Options(3).TrafficClass(0xB8).Tcp(40000, 443).Padding(10).Build(),
            Client4, 40000, Backend4);
        yield return new("v4 udp without DF, to a v4 backend",
            FrameBuilder.Ipv4("198.51.100.77", Vip4).Ipv4Fragment(0).Udp(1, 53, payload: 100).Build(), "198.51.100.77", 1, Backend4);
        yield return new("v4 tcp behind an 802.1ad tag, to a v6 backend",
            FrameBuilder.Ipv4(Client4, Vip4).Vlan(0x0FFF, EtherType.ServiceVlan).Tcp(65535, 80, payload: 300).Build(), Client4, 65535, Backend6);
        yield return new("v6 tcp behind extension headers, traffic class, to a v6 backend",
            FrameBuilder.Ipv6(Client6, Vip6).Extension(IpProtocol.HopByHopOptions).Extension(IpProtocol.DestinationOptions, 1)
                .TrafficClass(0x2E).Tcp(50000, 443, optionWords: 2, payload: 40).Build(), Client6, 50000, Backend6);
        yield return new("v6 udp with an 802.1Q tag and link padding, to a v6 backend",
            FrameBuilder.Ipv6("2001:db8::abcd:1234", Vip6).Vlan(7).Udp(4789, 53, payload: 0).Padding(6).Build(),
            "2001:db8::abcd:1234", 4789, Backend6);
        yield return new("v4 icmp fragmentation needed about a tcp flow, to a v4 backend",
            FrameBuilder.Ipv4(Router4, Vip4).Icmp(3, 4, IcmpFixtures.QuotedV4(IpProtocol.Tcp, 28), rest: 1400).Build(), Client4, 31337, Backend4);
        yield return new("v6 packet too big about a tcp flow, to a v6 backend",
            FrameBuilder.Ipv6(Router6, Vip6).Icmpv6(2, 0, IcmpFixtures.QuotedV6(FrameBuilder.Ipv6(Vip6, Client6).Tcp(443, 50000, payload: 0)), rest: 1280).Build(),
            Client6, 50000, Backend6);
        yield return new("v4 echo request (no ports), to a v4 backend",
            FrameBuilder.Ipv4(Client4, Vip4).Icmp(8, 0, new byte[32], rest: 0x00010002).Build(), Client4, 0, Backend4);
        yield return new("v6 echo request (no ports), to a v6 backend",
            FrameBuilder.Ipv6(Client6, Vip6).Icmpv6(128, 0, new byte[56], rest: 0x00010002).Build(), Client6, 0, Backend6);
    }
}
