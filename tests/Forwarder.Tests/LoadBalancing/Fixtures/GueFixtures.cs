using System.Buffers.Binary;
using System.Runtime.Versioning;
using Forwarder.Packets;
using Forwarder.Tests.Rewrite;
using static Forwarder.Tests.LoadBalancing.Fixtures.Expect;
using static Forwarder.Tests.LoadBalancing.Fixtures.FixtureConfig;
using static Forwarder.Tests.LoadBalancing.Fixtures.FixtureConfigs;
using static Forwarder.Tests.LoadBalancing.Fixtures.Shapes;

namespace Forwarder.Tests.LoadBalancing.Fixtures;

/// <summary>
/// GUE (IP in UDP to the GUE port): an IPv4 VIP with an IPv4 and an IPv6 backend, an IPv6 VIP; TCP and UDP; Katran's
/// published outer source ports (<c>KatranGueTestFixtures.h</c>: 192.168.1.1:31337 → 26747 over IPv4, 31592 over IPv6,
/// fc00:2::1:31337 → 31337, also for an ICMP error about that flow), and a "no source port" VIP.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class GueFixtures
{
    public const string V4Backend = "10.0.0.4";
    public const string V6Backend = "fc00::c";

    /// <summary>A client port whose flow from <paramref name="client"/> to the any-port gue VIP's <paramref name="vipPort"/> goes to <paramref name="backend"/>.</summary>
    public static ushort PortTo(string backend, string client = Clients.V4, ushort vipPort = 443) =>
        FlowOwner.ClientPortTo(All, GueAnyPort, client, vipPort, backend);

    public static IEnumerable<PacketFixture> Cases()
    {
        yield return Forwarded("gue v4 tcp to the v4 backend", All, GueAnyPort, Tcp4, Clients.V4, PortTo(V4Backend), 443);
        yield return Forwarded("gue v4 tcp to the v6 backend", All, GueAnyPort, Tcp4, Clients.V4, PortTo(V6Backend), 443);
        yield return Forwarded("gue v4 udp to the v4 backend", All, GueAnyPort, Udp4, Clients.OtherV4, PortTo(V4Backend, Clients.OtherV4, 53), 53);
        yield return Forwarded("gue v4 udp to the v6 backend, link padding cut off", All, GueAnyPort, Udp4.Padded(), Clients.OtherV4,
            PortTo(V6Backend, Clients.OtherV4, 53), 53);
        yield return Forwarded("gue v4 tcp with tos 0x28 and no DF to the v4 backend", All, GueAnyPort, Tcp4 with { TrafficClass = 0x28, DontFragment = false },
            Clients.V4, PortTo(V4Backend, vipPort: 25), 25);
        yield return Forwarded("gue v6 tcp", Extended, GueV6, Tcp6, Clients.V6, 50001);
        yield return Forwarded("gue v6 udp behind hop-by-hop and routing headers, traffic class 0xb8", Extended, GueV6,
            Udp6 with { Ipv6Extensions = 2, TrafficClass = 0xB8 }, Clients.OtherV6, 4500);

        PacketFixture katranV4 = Forwarded("gue Katran's reference flow 192.168.1.1:31337 over IPv4: outer source port 26747", Extended, GueToV4,
            Tcp4, Clients.V4, 31337);
        RequireOuterSourcePort(katranV4, 26747);
        yield return katranV4;
        PacketFixture katranV6 = Forwarded("gue Katran's reference flow 192.168.1.1:31337 over IPv6: outer source port 31592", Extended, GueToV6,
            Tcp4, Clients.V4, 31337);
        RequireOuterSourcePort(katranV6, 31592);
        yield return katranV6;
        PacketFixture katranClientV6 = Forwarded("gue Katran's IPv6 client fc00:2::1:31337: outer source port 31337", Extended, GueV6,
            Tcp6, "fc00:2::1", 31337);
        RequireOuterSourcePort(katranClientV6, 31337);
        yield return katranClientV6;
        PacketFixture katranError = ErrorForwarded("gue icmp fragmentation needed about 192.168.1.1:31337: outer source port 26747 as for the flow",
            Extended, GueToV4, new IcmpErrorShape(Tcp4, int.MaxValue, 3, 4, Rest: 1400), Clients.V4, 31337);
        RequireOuterSourcePort(katranError, 26747);
        yield return katranError;

        PacketFixture noSourcePort = Forwarded("gue no_source_port VIP: outer source port from the client address alone (0x0101)", Extended,
            GueNoSourcePort, Tcp4, Clients.V4, 31337);
        RequireOuterSourcePort(noSourcePort, 0x0101);
        yield return noSourcePort;
        yield return Forwarded("gue no_source_port VIP: another port of the same client, the same outer packet but for the inner port", Extended,
            GueNoSourcePort, Tcp4, Clients.V4, 1025);
    }

    /// <summary>Keeps a fixture honest about the published value it names: its expected output carries that UDP source port.</summary>
    private static void RequireOuterSourcePort(PacketFixture fixture, ushort port)
    {
        var view = new FrameView(fixture.Output!);
        int udp = view.L3 + (view.Version == IpVersion.V4 ? 20 : 40);
        ushort actual = BinaryPrimitives.ReadUInt16BigEndian(fixture.Output.AsSpan(udp));
        if (actual != port)
            throw new InvalidOperationException($"\"{fixture.Name}\": the expected output has UDP source port {actual}, not {port}");
    }
}
