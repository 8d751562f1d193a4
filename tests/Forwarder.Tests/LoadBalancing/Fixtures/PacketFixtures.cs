using System.Runtime.Versioning;

namespace Forwarder.Tests.LoadBalancing.Fixtures;

/// <summary>Every fixture, from every table, by name (names are unique).</summary>
[SupportedOSPlatform("linux")]
internal static class PacketFixtures
{
    private static readonly Lazy<PacketFixture[]> Fixtures = new(() =>
    [
        .. IpipFixtures.Cases(),
        .. GueFixtures.Cases(),
        .. DsrL2Fixtures.Cases(),
        .. NatFixtures.Cases(),
        .. NatReplyFixtures.Cases(),
        .. NatHostTrafficFixtures.Cases(),
        .. IcmpErrorFixtures.Cases(),
        .. PmtuFixtures.Cases(),
        .. VlanFixtures.Cases(),
        .. Ipv4OptionsFixtures.Cases(),
        .. EchoFixtures.Cases(),
        .. FragmentFixtures.Cases(),
        .. TruncatedFrameFixtures.Cases(),
        .. MalformedFrameFixtures.Cases(),
        .. NoTargetFixtures.Cases(),
        .. HashFlagFixtures.Cases(),
        .. SourceAllowListFixtures.Cases(),
    ]);

    private static readonly Lazy<Dictionary<string, PacketFixture>> ByName = new(() => Fixtures.Value.ToDictionary(f => f.Name));

    public static IReadOnlyList<PacketFixture> All => Fixtures.Value;

    public static PacketFixture Get(string name) => ByName.Value[name];

    public static TheoryData<string> Names() => new(ByName.Value.Keys);
}
