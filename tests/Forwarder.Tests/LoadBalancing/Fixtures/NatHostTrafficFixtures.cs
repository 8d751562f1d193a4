using System.Runtime.Versioning;
using Forwarder.Packets;
using static Forwarder.Tests.LoadBalancing.Fixtures.Expect;
using static Forwarder.Tests.LoadBalancing.Fixtures.FixtureConfig;
using static Forwarder.Tests.LoadBalancing.Fixtures.FixtureConfigs;
using static Forwarder.Tests.LoadBalancing.Fixtures.Shapes;

namespace Forwarder.Tests.LoadBalancing.Fixtures;

/// <summary>
/// Packets of nat backends to the forwarder's own host (<see cref="LoadBalancerConfigs.HostAddresses"/>): no replies,
/// never rewritten to the VIP. The XDP program hands them to the kernel; the workers see one only while an address
/// is new, and drop it as <see cref="DropReason.ToHost"/>.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class NatHostTrafficFixtures
{
    private const ushort HostPort = 40000;
    private const ushort ClosedPort = 9;

    public static IEnumerable<PacketFixture> Cases()
    {
        yield return Dropped("nat backend 10.0.1.1:8080 answering a health probe of the host (v4 tcp): to_host", All,
            Arriving(Tcp4.Build("10.0.1.1", LoadBalancerConfigs.Host4, 8080, HostPort, padded: true)), DropReason.ToHost);
        yield return Dropped("nat backend 10.0.1.2:80, without port, answering the host's own connection: to_host", All,
            Arriving(Tcp4.Build("10.0.1.2", LoadBalancerConfigs.Host4, 80, HostPort, padded: true)), DropReason.ToHost);
        yield return Dropped("nat backend 10.0.8.2:53 of an any-port VIP answering the host's udp: to_host", Extended,
            Arriving(Udp4.Build("10.0.8.2", LoadBalancerConfigs.Host4, 53, HostPort, padded: true)), DropReason.ToHost);
        yield return Dropped("nat backend [fc00::3:1]:8443 answering the host (v6 tcp): to_host", Extended,
            Arriving(Tcp6.Build("fc00::3:1", LoadBalancerConfigs.Host6, 8443, HostPort, padded: true)), DropReason.ToHost);
        yield return Dropped("nat backend 10.0.8.1's port unreachable about the host's own udp datagram: to_host", Extended,
            Arriving(new IcmpErrorShape(Udp4, int.MaxValue, 3, 3).Build("10.0.8.1", LoadBalancerConfigs.Host4, LoadBalancerConfigs.Host4, HostPort, "10.0.8.1", ClosedPort, padded: true)),
            DropReason.ToHost);
        yield return Dropped("nat backend 10.0.1.1's port unreachable about the host's udp to a port no VIP serves: to_host", All,
            Arriving(new IcmpErrorShape(Udp4, int.MaxValue, 3, 3).Build("10.0.1.1", LoadBalancerConfigs.Host4, LoadBalancerConfigs.Host4, HostPort, "10.0.1.1", ClosedPort, padded: true)),
            DropReason.ToHost);
        yield return Dropped("nat backend [fc00::3:2]'s port unreachable about the host's udp (v6): to_host", Extended,
            Arriving(new IcmpErrorShape(Udp6, int.MaxValue, 1, 4).Build("fc00::3:2", LoadBalancerConfigs.Host6, LoadBalancerConfigs.Host6, HostPort, "fc00::3:2", 443, padded: true)),
            DropReason.ToHost);
    }
}
