using System.Runtime.Versioning;
using Forwarder.Configuration;
using Forwarder.Tests.Packets;
using Forwarder.Tests.Rewrite;
using Forwarder.Packets;
using static Forwarder.Tests.LoadBalancing.Fixtures.Expect;
using static Forwarder.Tests.LoadBalancing.Fixtures.FixtureConfig;
using static Forwarder.Tests.LoadBalancing.Fixtures.FixtureConfigs;
using static Forwarder.Tests.LoadBalancing.Fixtures.Shapes;

namespace Forwarder.Tests.LoadBalancing.Fixtures;

/// <summary>
/// ICMP destination unreachable (IPv4 type 3) and ICMPv6 destination unreachable / packet too big (types 1 and 2)
/// that a router sends a VIP about the VIP's packet to a client: each reaches the backend of that client's flow,
/// in every mode. Each fixture carries a packet of the flow, which the test sends to check it goes to the same backend.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class IcmpErrorFixtures
{
    public static IEnumerable<PacketFixture> Cases()
    {
        yield return ErrorForwarded("icmp fragmentation needed (3/4) about an ipip v4 tcp flow, quoting 28 bytes", All, IpipV4,
            new IcmpErrorShape(Tcp4, 28, 3, 4, Rest: 1400), Clients.V4, 31337);
        yield return ErrorForwarded("icmp port unreachable (3/3) about an ipip v4 udp flow, quoting the whole packet", Extended, IpipV4Udp,
            new IcmpErrorShape(Udp4, int.MaxValue, 3, 3), Clients.OtherV4, 5300);
        yield return ErrorForwarded("icmp host unreachable (3/1) about an ipip v4-in-v6 tcp flow, error padded", All, IpipV4InV6,
            new IcmpErrorShape(Tcp4, 28, 3, 1) { Padding = 6 }, Clients.OtherV4, 5000);
        yield return ErrorForwarded("icmpv6 packet too big (2) about an ipip v6 tcp flow, quoting the whole packet", All, IpipV6,
            new IcmpErrorShape(Tcp6, int.MaxValue, 2, 0, Rest: 1280), Clients.V6, 50000);
        yield return ErrorForwarded("icmpv6 destination unreachable (1/4) about an ipip v6 udp flow, quoting 48 bytes", Extended, IpipV6Udp,
            new IcmpErrorShape(Udp6, 48, 1, 4), Clients.OtherV6, 33000);
        yield return ErrorForwarded("icmp host unreachable (3/1) about a gue flow to the v4 backend", All, GueAnyPort,
            new IcmpErrorShape(Tcp4, int.MaxValue, 3, 1), Clients.V4, GueFixtures.PortTo(GueFixtures.V4Backend), 443);
        yield return ErrorForwarded("icmp fragmentation needed (3/4) about a gue flow to the v6 backend", All, GueAnyPort,
            new IcmpErrorShape(Tcp4, 28, 3, 4, Rest: 1400), Clients.V4, GueFixtures.PortTo(GueFixtures.V6Backend), 443);
        yield return ErrorForwarded("icmpv6 packet too big (2) about a gue v6 flow, quoting 48 bytes", Extended, GueV6,
            new IcmpErrorShape(Tcp6, 48, 2, 0, Rest: 1280), Clients.V6, 50001);
        yield return ErrorForwarded("icmp port unreachable (3/3) about a dsr-l2 udp flow", All, DsrL2,
            new IcmpErrorShape(Udp4, int.MaxValue, 3, 3), Clients.V4, 31337);
        yield return ErrorForwarded("icmpv6 destination unreachable (1/0) about a dsr-l2 v6 tcp flow", Extended, DsrL2V6,
            new IcmpErrorShape(Tcp6, 48, 1, 0), Clients.V6, 40000);
        yield return ErrorForwarded("icmp fragmentation needed (3/4) about a nat flow reaches the backend quoting backend:8080 → client, 28 bytes", All, Nat,
            new IcmpErrorShape(Tcp4, 28, 3, 4, Rest: 1400), Clients.V4, NatFixtures.PortTo(All, Nat, Clients.V4, "10.0.1.1"));
        yield return ErrorForwarded("icmp port unreachable (3/3) about a nat udp flow reaches the backend without port, quoting the whole packet", Extended,
            NatAnyProtocol, new IcmpErrorShape(Udp4, int.MaxValue, 3, 3), Clients.OtherV4, NatFixtures.PortTo(Extended, NatAnyProtocol, Clients.OtherV4, "10.0.5.2"));
        yield return ErrorForwarded("icmpv6 packet too big (2) about a nat v6 tcp flow reaches the backend quoting backend:8443 → client", Extended, NatV6,
            new IcmpErrorShape(Tcp6, int.MaxValue, 2, 0, Rest: 1280), Clients.V6, NatFixtures.PortTo(Extended, NatV6, Clients.V6, "fc00::3:1"));
        yield return ErrorForwarded("icmp port unreachable (3/3) quoting only the ports (ip header + 4 bytes) of a nat udp flow", Extended, NatAnyProtocol,
            new IcmpErrorShape(Udp4, 24, 3, 3), Clients.V4, NatFixtures.PortTo(Extended, NatAnyProtocol, Clients.V4, "10.0.5.1"));
        yield return ErrorForwarded("icmpv6 packet too big (2) quoting only the ports (ipv6 header + 4 bytes) of a nat v6 tcp flow", Extended, NatV6,
            new IcmpErrorShape(Tcp6, 44, 2, 0, Rest: 1280), Clients.OtherV6, NatFixtures.PortTo(Extended, NatV6, Clients.OtherV6, "fc00::3:1"));
        yield return ErrorForwarded("icmpv6 destination unreachable (1/3) about a nat v6 udp flow, quoting 48 bytes", Extended, NatV6,
            new IcmpErrorShape(Udp6, 48, 1, 3), Clients.OtherV6, NatFixtures.PortTo(Extended, NatV6, Clients.OtherV6, "fc00::3:2"));
        yield return ErrorForwarded("icmp port unreachable (3/3) about a flow of the any-port maglev v1 VIP, to port 4000", All, Mixed,
            new IcmpErrorShape(Udp4, 28, 3, 3), Clients.OtherV4, 2000, vipPort: 4000);
        yield return ErrorForwarded("icmp port unreachable (3/3) about a flow of the ring-of-13 VIP", All, SmallRing,
            new IcmpErrorShape(Udp4, int.MaxValue, 3, 3), Clients.V4, 12345);
        yield return ErrorForwarded("icmp fragmentation needed (3/4) about a flow of the no_source_port VIP", Extended, NoSourcePort,
            new IcmpErrorShape(Tcp4, 28, 3, 4, Rest: 1400), Clients.V4, 1025);
        yield return ErrorForwarded("icmp port unreachable (3/3) about a flow of the any-port nat VIP, to port 8000", Extended, NatAnyPort,
            new IcmpErrorShape(Tcp4, 28, 3, 3), Clients.V4, 31337, vipPort: 8000);
        yield return IpipErrorQuoting("icmp fragmentation needed quoting the first fragment (MF, offset 0) of an ipip v4 tcp packet", IpipV4,
            FrameBuilder.Ipv4("10.100.0.1", Clients.OtherV4).Ipv4Fragment(0x2000).Tcp(80, 40404, payload: 100).BuildIpPacket()[..28], Clients.OtherV4, 40404);
        yield return IpipErrorQuoting("icmpv6 packet too big quoting the first fragment (M, offset 0) of an ipip v6 tcp packet", IpipV6,
            FrameBuilder.Ipv6("fc00::100", Clients.OtherV6).FragmentHeader(0, more: true).Tcp(443, 40404, payload: 100).BuildIpPacket()[..56], Clients.OtherV6, 40404);
    }

    /// <summary>An error from the router about the ipip VIP's packet, quoting <paramref name="quote"/> (from the VIP's port to client:clientPort).</summary>
    private static PacketFixture IpipErrorQuoting(string name, int vip, byte[] quote, string client, ushort clientPort)
    {
        VipConfig vipConfig = FixtureConfigs.Vip(All, vip);
        string address = vipConfig.Address.ToString();
        byte[] input = Arriving(quote[0] >> 4 == 4
            ? FrameBuilder.Ipv4(Router4, address).Icmp(3, 4, quote, 1400).Build()
            : FrameBuilder.Ipv6(Router6, address).Icmpv6(2, 0, quote, 1280).Build());
        var (backend, _) = FlowOwner.Of(All, vip, client, clientPort, vipConfig.Port);
        byte[] output = ToRouter(ExpectedEncapsulation.Ipip(input, client, clientPort, backend.Address.ToString()));
        return new PacketFixture(name, All, input, DropReason.None, output, CounterDeltas.Forwarded(vip, backend.Address, input.Length))
        {
            OwnerFlow = Arriving((quote[0] >> 4 == 4 ? Tcp4 : Tcp6).Build(client, address, clientPort, vipConfig.Port, padded: false)),
        };
    }
}
