using System.Runtime.Versioning;
using static Forwarder.Tests.LoadBalancing.Fixtures.Expect;
using static Forwarder.Tests.LoadBalancing.Fixtures.FixtureConfig;
using static Forwarder.Tests.LoadBalancing.Fixtures.FixtureConfigs;
using static Forwarder.Tests.LoadBalancing.Fixtures.Shapes;

namespace Forwarder.Tests.LoadBalancing.Fixtures;

/// <summary>Replies of nat backends, rewritten back to their VIP: TCP and UDP, v4 and v6, and the backends' ICMP errors.</summary>
[SupportedOSPlatform("linux")]
internal static class NatReplyFixtures
{
    public static IEnumerable<PacketFixture> Cases()
    {
        yield return NatReply("nat reply v4 tcp from 10.0.1.1:8080 leaves from VIP port 80", All, Nat, "10.0.1.1", Tcp4, Clients.V4, 31337);
        yield return NatReply("nat reply v4 tcp from 10.0.1.2:80, a backend without port", All, Nat, "10.0.1.2", Tcp4, Clients.OtherV4, 40000);
        yield return NatReply("nat reply v4 udp from 10.0.5.1:5353 leaves from VIP port 53, link padding cut off", Extended, NatAnyProtocol, "10.0.5.1",
            Udp4.Padded(), Clients.V4, 1234);
        yield return NatReply("nat reply v4 udp from 10.0.5.2:53", Extended, NatAnyProtocol, "10.0.5.2", Udp4, Clients.OtherV4, 1235);
        yield return NatReply("nat reply v6 tcp from [fc00::3:1]:8443 leaves from VIP port 443", Extended, NatV6, "fc00::3:1", Tcp6, Clients.V6, 50000);
        yield return NatReply("nat reply v6 udp from [fc00::3:2]:443 behind hop-by-hop and routing headers", Extended, NatV6, "fc00::3:2",
            Udp6 with { Ipv6Extensions = 2 }, Clients.OtherV6, 50001);
        yield return NatReplyError("nat reply v4: the backend's port unreachable about the client's udp packet quotes client → VIP:53", Extended,
            NatAnyProtocol, "10.0.5.1", new IcmpErrorShape(Udp4, int.MaxValue, 3, 3), Clients.V4, 1234);
        yield return NatReplyError("nat reply v4: the backend's host unreachable quoting 28 bytes of the client's tcp packet", All, Nat, "10.0.1.1",
            new IcmpErrorShape(Tcp4, 28, 3, 1), Clients.V4, 31337);
        yield return NatReplyError("nat reply v6: the backend's port unreachable (1/4) about the client's tcp packet", Extended, NatV6, "fc00::3:1",
            new IcmpErrorShape(Tcp6, int.MaxValue, 1, 4), Clients.V6, 50000);
        yield return NatReplyError("nat reply v6: the backend's administratively prohibited (1/1) quoting 48 bytes of the client's udp packet", Extended, NatV6, "fc00::3:2",
            new IcmpErrorShape(Udp6, 48, 1, 1), Clients.OtherV6, 50001);
        yield return NatReply("nat reply from 10.0.8.1:8000, a backend of an any-port VIP, leaves from the VIP's port 8000", Extended, NatAnyPort, "10.0.8.1",
            Tcp4, Clients.V4, 31337, anyPort: 8000);
        yield return NatReply("nat reply udp from 10.0.8.2:53, a backend of an any-port VIP", Extended, NatAnyPort, "10.0.8.2", Udp4, Clients.OtherV4, 5000,
            anyPort: 53);
        yield return NatReplyError("nat reply: an any-port VIP's backend's port unreachable keeps the quoted port", Extended, NatAnyPort, "10.0.8.1",
            new IcmpErrorShape(Udp4, int.MaxValue, 3, 3), Clients.OtherV4, 5000, anyPort: 53);
    }
}
