using System.Runtime.Versioning;
using Forwarder.Packets;
using static Forwarder.Tests.LoadBalancing.Fixtures.Expect;
using static Forwarder.Tests.LoadBalancing.Fixtures.FixtureConfig;
using static Forwarder.Tests.LoadBalancing.Fixtures.FixtureConfigs;
using static Forwarder.Tests.LoadBalancing.Fixtures.Shapes;

namespace Forwarder.Tests.LoadBalancing.Fixtures;

/// <summary>
/// Per-VIP <c>allowed_sources</c>: a client inside a listed prefix is forwarded as to any VIP, every other client's packet
/// (and an ICMP error about its flow) is dropped as <see cref="DropReason.SourceNotAllowed"/>.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class SourceAllowListFixtures
{
    private const string V4Vip = "10.100.1.12";
    private const string V6Vip = "fc00::208";

    public static IEnumerable<PacketFixture> Cases()
    {
        yield return Forwarded("allowed_sources: a client inside 192.168.1.0/24 is forwarded", Extended, AllowedSourcesV4, Tcp4, Clients.V4, 31337);
        yield return Forwarded("allowed_sources: the one address of 203.0.113.7/32 is forwarded", Extended, AllowedSourcesV4, Tcp4, "203.0.113.7", 1000);
        yield return NotAllowed("allowed_sources: a client outside every prefix is dropped", Tcp4.Build(Clients.OtherV4, V4Vip, 31337, 80, padded: false));
        yield return NotAllowed("allowed_sources: the neighbour of a /32 is dropped", Tcp4.Build("203.0.113.8", V4Vip, 1000, 80, padded: false));
        yield return ErrorForwarded("allowed_sources: an icmp error about an allowed client's flow is forwarded", Extended, AllowedSourcesV4,
            new IcmpErrorShape(Tcp4, 28, 3, 4, Rest: 1400), Clients.V4, 31337);
        yield return NotAllowed("allowed_sources: an icmp error about a flow of a client outside the list is dropped",
            new IcmpErrorShape(Tcp4, 28, 3, 4, Rest: 1400).Build(Router4, V4Vip, V4Vip, 80, Clients.OtherV4, 31337, padded: false));
        yield return Forwarded("allowed_sources v6: a client inside 2001:db8::/64 is forwarded", Extended, AllowedSourcesV6, Tcp6, Clients.V6, 50000);
        yield return NotAllowed("allowed_sources v6: a client of the next /64 is dropped", Tcp6.Build(Clients.OtherV6, V6Vip, 50000, 80, padded: false));
    }

    private static PacketFixture NotAllowed(string name, byte[] frame) => Dropped(name, Extended, Arriving(frame), DropReason.SourceNotAllowed);
}
