using System.Runtime.Versioning;
using static Forwarder.Tests.LoadBalancing.Fixtures.Expect;
using static Forwarder.Tests.LoadBalancing.Fixtures.FixtureConfig;
using static Forwarder.Tests.LoadBalancing.Fixtures.FixtureConfigs;
using static Forwarder.Tests.LoadBalancing.Fixtures.Shapes;

namespace Forwarder.Tests.LoadBalancing.Fixtures;

/// <summary>IPv4 headers with options (Katran drops them; here they are balanced) in every mode and answer.</summary>
[SupportedOSPlatform("linux")]
internal static class Ipv4OptionsFixtures
{
    public static IEnumerable<PacketFixture> Cases()
    {
        yield return Forwarded("ipv4 options, 40 bytes, on an ipip v4-in-v4 tcp packet, carried inside unchanged", All, IpipV4,
            Tcp4 with { Ipv4OptionWords = 10 }, Clients.V4, 31337);
        yield return Forwarded("ipv4 options on an ipip v4-in-v6 udp packet", All, IpipV4InV6, Udp4 with { Ipv4OptionWords = 3 }, Clients.OtherV4, 6000);
        yield return Forwarded("ipv4 options on a gue udp packet to the v4 backend", All, GueAnyPort, Udp4 with { Ipv4OptionWords = 2 }, Clients.OtherV4,
            GueFixtures.PortTo(GueFixtures.V4Backend, Clients.OtherV4, 53), 53);
        yield return Forwarded("ipv4 options on a dsr-l2 udp packet", All, DsrL2, Udp4 with { Ipv4OptionWords = 1 }, Clients.V4, 31337);
        yield return Forwarded("ipv4 options on a nat tcp packet to the backend with port 8080", All, Nat, Tcp4 with { Ipv4OptionWords = 2 }, Clients.V4,
            NatFixtures.PortTo(All, Nat, Clients.V4, "10.0.1.1"));
        yield return NatReply("ipv4 options on a nat reply from 10.0.1.2:80", All, Nat, "10.0.1.2", Tcp4 with { Ipv4OptionWords = 4 }, Clients.V4, 31337);
        yield return EchoAnswered("ipv4 options on an echo request to a VIP, echoed back", All, Clients.V4, "10.100.0.1", b => b.Ipv4Options(2));
        yield return ErrorForwarded("ipv4 options on an icmp error and on the ipip v4 packet it quotes", All, IpipV4,
            new IcmpErrorShape(Tcp4 with { Ipv4OptionWords = 2 }, 36, 3, 4, Rest: 1400) { OptionWords = 1 }, Clients.V4, 31337);
        yield return ErrorForwarded("ipv4 options in the whole tcp packet an icmp error about a nat flow quotes", All, Nat,
            new IcmpErrorShape(Tcp4 with { Ipv4OptionWords = 3 }, int.MaxValue, 3, 3), Clients.V4, NatFixtures.PortTo(All, Nat, Clients.V4, "10.0.1.1"));
        yield return TooBigAnswered("ipv4 options on a packet too big for ipip, quoted with them", All, IpipV4,
            (Tcp4 with { Ipv4OptionWords = 5 }).Sized(1490), Clients.V4, 31337);
    }
}
