using System.Runtime.Versioning;
using Forwarder.Packets;
using static Forwarder.Tests.LoadBalancing.Fixtures.Expect;
using static Forwarder.Tests.LoadBalancing.Fixtures.FixtureConfig;
using static Forwarder.Tests.LoadBalancing.Fixtures.Shapes;

namespace Forwarder.Tests.LoadBalancing.Fixtures;

/// <summary>Packets with nowhere to go: for no VIP (address, port or protocol) and no nat reply (UnknownVip), or for a VIP without backends (NoBackend).</summary>
[SupportedOSPlatform("linux")]
internal static class NoTargetFixtures
{
    public static IEnumerable<PacketFixture> Cases()
    {
        yield return Unknown("unknown vip: tcp to an address no VIP has", Tcp4.Build(Clients.V4, "10.100.0.99", 31337, 80, padded: false));
        yield return Unknown("unknown vip: tcp to the ipip VIP's address on port 81", Tcp4.Build(Clients.V4, "10.100.0.1", 31337, 81, padded: false));
        yield return Unknown("unknown vip: udp to the tcp-only ipip VIP", Udp4.Build(Clients.V4, "10.100.0.1", 31337, 80, padded: false));
        yield return Unknown("unknown vip: v6 tcp to an address no VIP has", Tcp6.Build(Clients.V6, "fc00::999", 50000, 443, padded: false));
        yield return Unknown("unknown vip: v6 udp to the tcp-only ipip v6 VIP", Udp6.Build(Clients.V6, "fc00::100", 50000, 443, padded: false));
        yield return Unknown("unknown vip: a packet from an ipip backend is no nat reply", Tcp4.Build("10.0.0.1", Clients.V4, 80, 31337, padded: false));
        yield return Unknown("unknown vip: a packet from a nat backend's other port is no reply", Tcp4.Build("10.0.1.1", Clients.V4, 9090, 31337, padded: false));
        yield return Unknown("unknown vip: udp from the tcp-only nat VIP's backend is no reply", Udp4.Build("10.0.1.1", Clients.V4, 8080, 31337, padded: false));
        yield return Unknown("unknown vip: an icmp error about a flow of no VIP",
            new IcmpErrorShape(Tcp4, 28, 3, 4, Rest: 1400).Build(Router4, "10.100.0.99", "10.100.0.99", 80, Clients.V4, 31337, padded: false));
        yield return Dropped("no backend: tcp to a VIP with an empty backend list", All,
            Arriving(Tcp4.Build(Clients.V4, "10.100.0.6", 31337, 80, padded: false)), DropReason.NoBackend);
        yield return Dropped("no backend: v6 tcp to a VIP whose one backend has weight 0", Extended,
            Arriving(Tcp6.Build(Clients.V6, "fc00::205", 50000, 80, padded: false)), DropReason.NoBackend);
        yield return Dropped("no backend: an icmp error about a flow of a VIP without backends", All,
            Arriving(new IcmpErrorShape(Tcp4, 28, 3, 4, Rest: 1400).Build(Router4, "10.100.0.6", "10.100.0.6", 80, Clients.V4, 31337, padded: false)),
            DropReason.NoBackend);
    }

    private static PacketFixture Unknown(string name, byte[] frame) => Dropped(name, All, Arriving(frame), DropReason.UnknownVip);
}
