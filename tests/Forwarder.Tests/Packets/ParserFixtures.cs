using System.Net;
using System.Runtime.Versioning;
using Forwarder.Hashing;
using Forwarder.Packets;

namespace Forwarder.Tests.Packets;

/// <summary>The fixture table: every row of <see cref="FlowFixtures"/>, <see cref="IcmpFixtures"/> and <see cref="MalformedFixtures"/>, by name.</summary>
[SupportedOSPlatform("linux")]
internal static class ParserFixtures
{
    public const string Client4 = "192.168.1.1";
    public const string Vip4 = "10.0.0.100";
    public const string Router4 = "172.16.0.1";
    public const string Client6 = "2001:db8::1";
    public const string Vip6 = "2001:db8:ffff::100";
    public const string Router6 = "2001:db8:aaaa::1";

    private static readonly Lazy<Dictionary<string, ParserFixture>> Table = new(() =>
        FlowFixtures.All().Concat(IcmpFixtures.All()).Concat(MalformedFixtures.All()).ToDictionary(f => f.Name));

    public static IReadOnlyCollection<ParserFixture> All => Table.Value.Values;

    public static ParserFixture Get(string name) => Table.Value[name];

    public static TheoryData<string> Names()
    {
        var names = new TheoryData<string>();
        foreach (string name in Table.Value.Keys)
            names.Add(name);
        return names;
    }

    public static WireAddress Address(string text) => WireAddress.FromIPAddress(IPAddress.Parse(text));

    /// <summary>A parsed IPv4 UDP/TCP flow client → VIP with the builder's defaults (TTL 64, DF, no VLAN).</summary>
    public static ParsedPacket FlowV4(byte protocol, ushort clientPort, ushort vipPort, int l4Offset, int totalLength) => new()
    {
        Kind = PacketKind.Flow,
        Version = IpVersion.V4,
        Source = Address(Client4),
        Destination = Address(Vip4),
        Protocol = protocol,
        PortsWord = FlowHash.PortsWord(clientPort, vipPort),
        L3Offset = 14,
        L4Offset = l4Offset,
        IpTotalLength = totalLength,
        HopLimit = 64,
        DontFragment = true,
    };

    /// <summary>A parsed IPv6 UDP/TCP flow client → VIP with the builder's defaults (hop limit 64, no VLAN).</summary>
    public static ParsedPacket FlowV6(byte protocol, ushort clientPort, ushort vipPort, int l4Offset, int totalLength) => new()
    {
        Kind = PacketKind.Flow,
        Version = IpVersion.V6,
        Source = Address(Client6),
        Destination = Address(Vip6),
        Protocol = protocol,
        PortsWord = FlowHash.PortsWord(clientPort, vipPort),
        L3Offset = 14,
        L4Offset = l4Offset,
        IpTotalLength = totalLength,
        HopLimit = 64,
    };

    public static ParserFixture Parsed(string name, byte[] frame, ParsedPacket expected) => new(name, frame, DropReason.None, expected);

    public static ParserFixture Dropped(string name, byte[] frame, DropReason reason) => new(name, frame, reason, null);
}
