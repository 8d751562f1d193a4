using System.Runtime.Versioning;
using static Forwarder.Tests.LoadBalancing.Fixtures.Expect;
using static Forwarder.Tests.LoadBalancing.Fixtures.FixtureConfig;
using static Forwarder.Tests.LoadBalancing.Fixtures.FixtureConfigs;
using static Forwarder.Tests.LoadBalancing.Fixtures.Shapes;

namespace Forwarder.Tests.LoadBalancing.Fixtures;

/// <summary>
/// Katran's hash flags beyond no_source_port: <c>dport_only</c> (every client of one port reaches one backend) and
/// <c>src_dst_port</c> (a port-0 VIP hashes the destination port it was sent to). Backends come from
/// <see cref="FlowOwner"/>, which applies the flags as Katran's <c>balancer.bpf.c</c> does.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class HashFlagFixtures
{
    public static IEnumerable<PacketFixture> Cases()
    {
        PacketFixture first = Forwarded("nat dport_only VIP, tcp to port 5060 from one client", Extended, DportOnly, Tcp4, Clients.V4, 31337, vipPort: 5060);
        PacketFixture second = Forwarded("nat dport_only VIP: another client from another port to port 5060 reaches the same backend", Extended, DportOnly,
            Tcp4, Clients.OtherV4, 1025, vipPort: 5060);
        IpipFixtures.RequireSameBackend(first, second);
        yield return first;
        yield return second;
        yield return Forwarded("nat dport_only VIP, tcp to port 5061", Extended, DportOnly, Tcp4, Clients.V4, 31337, vipPort: 5061);

        PacketFixture v6First = Forwarded("dsr-l2 v6 dport_only VIP, udp from one client", Extended, DportOnlyV6, Udp6, Clients.V6, 50000);
        PacketFixture v6Second = Forwarded("dsr-l2 v6 dport_only VIP: another client reaches the same backend", Extended, DportOnlyV6, Udp6,
            Clients.OtherV6, 3);
        IpipFixtures.RequireSameBackend(v6First, v6Second);
        yield return v6First;
        yield return v6Second;

        // Outer headers from a zeroed client address and the client's port, as Katran writes them under F_HASH_DPORT_ONLY.
        for (ushort port = 5000; port < 5012; port++)
            yield return Forwarded($"ipip dport_only VIP, udp to port {port}: the outer source from address 0", Extended, DportOnlyIpip, Udp4,
                Clients.OtherV4, 40000, vipPort: port);
        foreach (string client in new[] { Clients.V6, Clients.OtherV6, "2001:db8:5::9" })
            yield return Forwarded($"gue v6 dport_only VIP from {client}: the gue source port from address 0", Extended, DportOnlyGueV6, Tcp6, client, 31337);

        yield return Forwarded("ipip src_dst_port any-port VIP, udp to port 4000", Extended, SrcDstPort, Udp4, Clients.V4, 2000, vipPort: 4000);
        yield return Forwarded("ipip src_dst_port any-port VIP, udp to port 9 hashes port 9", Extended, SrcDstPort, Udp4, Clients.V4, 2000, vipPort: 9);
    }
}
