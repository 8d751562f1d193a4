using System.Runtime.Versioning;
using Forwarder.Tests.Packets;
using Forwarder.Packets;
using static Forwarder.Tests.LoadBalancing.Fixtures.Expect;
using static Forwarder.Tests.LoadBalancing.Fixtures.FixtureConfig;
using static Forwarder.Tests.LoadBalancing.Fixtures.Shapes;

namespace Forwarder.Tests.LoadBalancing.Fixtures;

/// <summary>Frames that end before a header they announce: shorter than Ethernet (FrameTooShort) or cut anywhere after it (Truncated).</summary>
[SupportedOSPlatform("linux")]
internal static class TruncatedFrameFixtures
{
    private const string Vip4 = "10.100.0.1";
    private const string Vip6 = "fc00::100";

    public static IEnumerable<PacketFixture> Cases()
    {
        byte[] tcp4 = Arriving(Tcp4.Build(Clients.V4, Vip4, 31337, 80, padded: false));
        byte[] tcp6 = Arriving(Tcp6.Build(Clients.V6, Vip6, 50000, 443, padded: false));
        byte[] tagged = Arriving(Tcp4.Tagged(100).Build(Clients.V4, Vip4, 31337, 80, padded: false));

        yield return Dropped("truncated: an empty frame", All, [], DropReason.FrameTooShort);
        yield return Dropped("truncated: 13 bytes, short of an ethernet header", All, tcp4[..13], DropReason.FrameTooShort);
        yield return Dropped("truncated: an 802.1Q tag cut after 2 bytes", All, tagged[..16], DropReason.Truncated);
        yield return Dropped("truncated: an ipv4 header cut at 19 bytes", All, tcp4[..(14 + 19)], DropReason.Truncated);
        yield return Dropped("truncated: an ipv4 total length 1 byte past the frame", All, tcp4[..^1], DropReason.Truncated);
        yield return Dropped("truncated: a tcp header of 12 bytes", All,
            Arriving(FrameBuilder.Ipv4(Clients.V4, Vip4).Transport(6, new byte[12]).Build()), DropReason.Truncated);
        yield return Dropped("truncated: tcp options (data offset 15) past the end of the packet", All,
            Arriving(FrameBuilder.Ipv4(Clients.V4, Vip4).Tcp(31337, 80, dataOffset: 15).Build()), DropReason.Truncated);
        yield return Dropped("truncated: an ipv6 header cut at 39 bytes", All, tcp6[..(14 + 39)], DropReason.Truncated);
        yield return Dropped("truncated: an ipv6 payload length 1 byte past the frame", All, tcp6[..^1], DropReason.Truncated);
        yield return Dropped("truncated: a udp header of 6 bytes over ipv6", All,
            Arriving(FrameBuilder.Ipv6(Clients.V6, Vip6).Transport(17, new byte[6]).Build()), DropReason.Truncated);
        yield return Dropped("truncated: an ipv6 destination options header past the packet", All,
            Arriving(FrameBuilder.Ipv6(Clients.V6, Vip6).Extension(Forwarder.Packets.IpProtocol.DestinationOptions, 3).IpLength(16).Build()[..(14 + 40 + 16)]),
            DropReason.Truncated);
        yield return Dropped("truncated: an icmp header of 4 bytes", All,
            Arriving(FrameBuilder.Ipv4(Router4, Vip4).Transport(1, new byte[] { 3, 4, 0, 0 }).Build()), DropReason.Truncated);
        yield return Dropped("truncated: an icmp error quoting 22 bytes, the ports cut", All,
            Arriving(new IcmpErrorShape(Tcp4, 22, 3, 4, Rest: 1400).Build(Router4, Vip4, Vip4, 80, Clients.V4, 31337, padded: false)), DropReason.Truncated);
        yield return Dropped("truncated: an icmpv6 error quoting 30 bytes of an ipv6 header", All,
            Arriving(new IcmpErrorShape(Tcp6, 30, 2, 0, Rest: 1280).Build(Router6, Vip6, Vip6, 443, Clients.V6, 50000, padded: false)), DropReason.Truncated);
    }
}
