using System.Runtime.Versioning;
using static Forwarder.Tests.LoadBalancing.Fixtures.Expect;
using static Forwarder.Tests.LoadBalancing.Fixtures.FixtureConfig;
using static Forwarder.Tests.LoadBalancing.Fixtures.FixtureConfigs;
using static Forwarder.Tests.LoadBalancing.Fixtures.Shapes;

namespace Forwarder.Tests.LoadBalancing.Fixtures;

/// <summary>IP-in-IP: IPv4 in IPv4, IPv6 in IPv6, IPv4 in IPv6; TCP and UDP; rings of other sizes and hash options.</summary>
[SupportedOSPlatform("linux")]
internal static class IpipFixtures
{
    public static IEnumerable<PacketFixture> Cases()
    {
        yield return Forwarded("ipip v4-in-v4 tcp, Katran's reference flow 192.168.1.1:31337 → :80", All, IpipV4, Tcp4, Clients.V4, 31337);
        yield return Forwarded("ipip v4-in-v4 tcp syn with tcp options, tos 0xb8, no DF (none outside either)", All, IpipV4,
            Tcp4 with { TrafficClass = 0xB8, DontFragment = false, TcpOptionWords = 5, Payload = 0 }, Clients.OtherV4, 51000);
        yield return Forwarded("ipip v4-in-v4 udp", Extended, IpipV4Udp, Udp4, Clients.OtherV4, 5300);
        yield return Forwarded("ipip v4-in-v4 udp with link padding, cut off", Extended, IpipV4Udp, Udp4.Padded(), Clients.V4, 1);
        yield return Forwarded("ipip v6-in-v6 tcp", All, IpipV6, Tcp6, Clients.V6, 50000);
        yield return Forwarded("ipip v6-in-v6 tcp behind hop-by-hop, routing and destination options, traffic class 0x2e", All, IpipV6,
            Tcp6 with { Ipv6Extensions = 3, TrafficClass = 0x2E }, Clients.OtherV6, 443);
        yield return Forwarded("ipip v6-in-v6 udp", Extended, IpipV6Udp, Udp6, Clients.OtherV6, 33000);
        yield return Forwarded("ipip v6-in-v6 udp with link padding, cut off", Extended, IpipV6Udp, Udp6 with { Payload = 0, Padding = 6 }, Clients.V6, 65535);
        yield return Forwarded("ipip v4-in-v6 tcp", All, IpipV4InV6, Tcp4, Clients.V4, 31337);
        yield return Forwarded("ipip v4-in-v6 udp with link padding, cut off", All, IpipV4InV6, Udp4.Padded(), Clients.OtherV4, 65535);
        yield return Forwarded("ipip ring of 13 slots (not the common ring size), udp", All, SmallRing, Udp4, Clients.V4, 12345);
        yield return Forwarded("ipip ring of 655373 slots hashes with seed 512 × 655373, Katran's reference client", Extended, LargeRing, Tcp4,
            Clients.V4, 31337);
        yield return Forwarded("ipip ring of 655373 slots, another client", Extended, LargeRing, Tcp4, Clients.OtherV4, 40001);
        yield return Forwarded("ipip v6 ring of 1009 slots hashes with seed 512 × 1009", Extended, PrimeRingV6, Tcp6, Clients.V6, 31337);
        yield return Forwarded("ipip v6 ring of 1009 slots, another client", Extended, PrimeRingV6, Tcp6, Clients.OtherV6, 40001);

        PacketFixture port4000 = Forwarded("ipip maglev v1, ring of 251, any port: udp to port 4000", All, Mixed, Udp4, Clients.OtherV4, 2000,
            vipPort: 4000);
        PacketFixture port9 = Forwarded("ipip any-port VIP hashes destination port 0: udp to port 9 goes where port 4000 goes", All, Mixed,
            Udp4, Clients.OtherV4, 2000, vipPort: 9);
        RequireSameBackend(port4000, port9);
        yield return port4000;
        yield return port9;

        PacketFixture lowPort = Forwarded("ipip no_source_port VIP, tcp from client port 1025", Extended, NoSourcePort, Tcp4, Clients.V4, 1025);
        PacketFixture highPort = Forwarded("ipip no_source_port VIP: the same client from port 64000 reaches the same backend", Extended, NoSourcePort,
            Tcp4, Clients.V4, 64000);
        RequireSameBackend(lowPort, highPort);
        yield return lowPort;
        yield return highPort;

        yield return Forwarded("ipip any-port VIP sharing its address with a port-53 udp VIP takes tcp to port 53", Extended, SharedAnyPort, Tcp4,
            Clients.V4, 31337, vipPort: 53);
        yield return Forwarded("ipip any-port VIP sharing its address with a port-53 udp VIP takes udp to port 54", Extended, SharedAnyPort, Udp4,
            Clients.V4, 31337, vipPort: 54);
        yield return Forwarded("ipip udp to port 53 goes to the port-53 VIP, not to the any-port VIP on the same address", Extended, IpipV4Udp, Udp4,
            Clients.V4, 31337);
    }

    /// <summary>Keeps a fixture's name honest when it claims two flows share a backend.</summary>
    internal static void RequireSameBackend(PacketFixture a, PacketFixture b)
    {
        if (!a.Counters.Backends.Keys.SequenceEqual(b.Counters.Backends.Keys))
            throw new InvalidOperationException($"\"{a.Name}\" and \"{b.Name}\" should reach the same backend");
    }
}
