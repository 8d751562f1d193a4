using System.Runtime.Versioning;
using static Forwarder.Tests.LoadBalancing.Fixtures.Expect;
using static Forwarder.Tests.LoadBalancing.Fixtures.FixtureConfig;
using static Forwarder.Tests.LoadBalancing.Fixtures.FixtureConfigs;
using static Forwarder.Tests.LoadBalancing.Fixtures.Shapes;

namespace Forwarder.Tests.LoadBalancing.Fixtures;

/// <summary>Destination NAT towards the backend, with and without a backend port; v4 and v6, TCP and UDP.</summary>
[SupportedOSPlatform("linux")]
internal static class NatFixtures
{
    /// <summary>A client port whose flow from <paramref name="client"/> to nat VIP <paramref name="vip"/> goes to <paramref name="backend"/>.</summary>
    public static ushort PortTo(FixtureConfig config, int vip, string client, string backend) =>
        FlowOwner.ClientPortTo(config, vip, client, FixtureConfigs.Vip(config, vip).Port, backend);

    public static IEnumerable<PacketFixture> Cases()
    {
        yield return Forwarded("nat v4 tcp to the backend with port 8080", All, Nat, Tcp4, Clients.V4, PortTo(All, Nat, Clients.V4, "10.0.1.1"));
        yield return Forwarded("nat v4 tcp to the backend without port keeps port 80", All, Nat, Tcp4, Clients.V4, PortTo(All, Nat, Clients.V4, "10.0.1.2"));
        yield return Forwarded("nat v4 tcp syn with tcp options and ttl 1, left alone", All, Nat, Tcp4 with { HopLimit = 1, TcpOptionWords = 5, Payload = 0 },
            Clients.OtherV4, PortTo(All, Nat, Clients.OtherV4, "10.0.1.1"));
        yield return Forwarded("nat v4 udp to the backend with port 5353", Extended, NatAnyProtocol, Udp4, Clients.OtherV4,
            PortTo(Extended, NatAnyProtocol, Clients.OtherV4, "10.0.5.1"));
        yield return Forwarded("nat v4 udp to the backend without port keeps port 53, link padding cut off", Extended, NatAnyProtocol, Udp4.Padded(),
            Clients.OtherV4, PortTo(Extended, NatAnyProtocol, Clients.OtherV4, "10.0.5.2"));
        yield return WithoutUdpChecksum(Forwarded("nat v4 udp without checksum (0) keeps none", Extended, NatAnyProtocol, Udp4, Clients.V4,
            PortTo(Extended, NatAnyProtocol, Clients.V4, "10.0.5.1")));
        yield return Forwarded("nat v4 tcp on a VIP serving tcp and udp", Extended, NatAnyProtocol, Tcp4, Clients.V4, 31337);
        yield return Forwarded("nat v6 tcp to the backend with port 8443", Extended, NatV6, Tcp6, Clients.V6, PortTo(Extended, NatV6, Clients.V6, "fc00::3:1"));
        yield return Forwarded("nat v6 udp to the backend without port keeps port 443", Extended, NatV6, Udp6, Clients.V6,
            PortTo(Extended, NatV6, Clients.V6, "fc00::3:2"));
        yield return Forwarded("nat v6 tcp behind extension headers, traffic class 0x2e, link padding cut off", Extended, NatV6,
            Tcp6 with { Ipv6Extensions = 3, TrafficClass = 0x2E, Padding = 8 }, Clients.OtherV6, PortTo(Extended, NatV6, Clients.OtherV6, "fc00::3:1"));
        yield return Forwarded("nat v6 udp with a payload of odd length", Extended, NatV6, Udp6 with { Payload = 101 }, Clients.OtherV6,
            PortTo(Extended, NatV6, Clients.OtherV6, "fc00::3:2"));
        yield return Forwarded("nat any-port VIP: tcp to port 8000 keeps its port", Extended, NatAnyPort, Tcp4, Clients.V4, 31337, vipPort: 8000);
        yield return Forwarded("nat any-port VIP: udp to port 53 keeps its port", Extended, NatAnyPort, Udp4, Clients.OtherV4, 5000, vipPort: 53);
    }

    /// <summary>The same fixture with the UDP checksum field of an untagged, option-less IPv4 packet set to 0 ("none") in and out.</summary>
    private static PacketFixture WithoutUdpChecksum(PacketFixture fixture)
    {
        const int checksumAt = 14 + 20 + 6;
        byte[] input = [.. fixture.Input], output = [.. fixture.Output!];
        input[checksumAt] = input[checksumAt + 1] = 0;
        output[checksumAt] = output[checksumAt + 1] = 0;
        return fixture with { Input = input, Output = output };
    }
}
