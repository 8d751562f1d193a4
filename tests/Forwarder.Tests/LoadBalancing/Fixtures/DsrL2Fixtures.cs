using System.Runtime.Versioning;
using static Forwarder.Tests.LoadBalancing.Fixtures.Expect;
using static Forwarder.Tests.LoadBalancing.Fixtures.FixtureConfig;
using static Forwarder.Tests.LoadBalancing.Fixtures.FixtureConfigs;
using static Forwarder.Tests.LoadBalancing.Fixtures.Shapes;

namespace Forwarder.Tests.LoadBalancing.Fixtures;

/// <summary>Layer-2 DSR: the frame, padding included, goes to the backend's MAC; v4 and v6, TCP and UDP.</summary>
[SupportedOSPlatform("linux")]
internal static class DsrL2Fixtures
{
    public static IEnumerable<PacketFixture> Cases()
    {
        yield return Forwarded("dsr-l2 v4 udp", All, DsrL2, Udp4, Clients.V4, 31337);
        yield return Forwarded("dsr-l2 v4 udp with link padding, kept with the frame's length", All, DsrL2, Udp4.Padded(), Clients.OtherV4, 5353);
        yield return Forwarded("dsr-l2 v4 tcp to the first of two backends", Extended, DsrL2Tcp, Tcp4, Clients.V4,
            FlowOwner.ClientPortTo(Extended, DsrL2Tcp, Clients.V4, 80, "10.0.2.2"));
        yield return Forwarded("dsr-l2 v4 tcp to the second of two backends", Extended, DsrL2Tcp, Tcp4, Clients.V4,
            FlowOwner.ClientPortTo(Extended, DsrL2Tcp, Clients.V4, 80, "10.0.2.3"));
        yield return Forwarded("dsr-l2 v6 tcp", Extended, DsrL2V6, Tcp6, Clients.V6, 40000);
        yield return Forwarded("dsr-l2 v6 udp with link padding, kept", Extended, DsrL2V6, Udp6 with { Payload = 0, Padding = 6 }, Clients.OtherV6, 40001);
    }
}
