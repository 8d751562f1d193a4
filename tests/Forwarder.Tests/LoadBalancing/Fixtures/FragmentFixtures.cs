using System.Runtime.Versioning;
using Forwarder.Tests.Packets;
using Forwarder.Tests.Rewrite;
using Forwarder.Packets;
using static Forwarder.Tests.LoadBalancing.Fixtures.Expect;
using static Forwarder.Tests.LoadBalancing.Fixtures.FixtureConfig;
using static Forwarder.Tests.LoadBalancing.Fixtures.FixtureConfigs;

namespace Forwarder.Tests.LoadBalancing.Fixtures;

/// <summary>Fragments are not balanced (only a whole packet has both ports); an IPv6 atomic fragment is a whole packet.</summary>
[SupportedOSPlatform("linux")]
internal static class FragmentFixtures
{
    private const string IpipVip4 = "10.100.0.1";
    private const string IpipVip6 = "fc00::100";

    public static IEnumerable<PacketFixture> Cases()
    {
        yield return Dropped("fragment: the first ipv4 fragment (MF) of a tcp packet to a VIP", All,
            Arriving(FrameBuilder.Ipv4(Clients.V4, IpipVip4).Ipv4Fragment(0x2000).Tcp(31337, 80, payload: 64).Build()), DropReason.IpFragment);
        yield return Dropped("fragment: the last ipv4 fragment (offset 185) of a packet to a VIP", All,
            Arriving(FrameBuilder.Ipv4(Clients.V4, IpipVip4).Ipv4Fragment(185).Transport(6, Data(100)).Build()), DropReason.IpFragment);
        yield return Dropped("fragment: a middle ipv4 fragment (MF, offset 8) over 802.1Q", Extended,
            Arriving(FrameBuilder.Ipv4(Clients.OtherV4, "10.100.1.1").Vlan(9).Ipv4Fragment(0x2008).Transport(17, Data(64)).Build()), DropReason.IpFragment);
        yield return Dropped("fragment: the first ipv6 fragment (M set) of a tcp packet to a VIP", All,
            Arriving(FrameBuilder.Ipv6(Clients.V6, IpipVip6).FragmentHeader(0, more: true).Tcp(50000, 443, payload: 64).Build()), DropReason.IpFragment);
        yield return Dropped("fragment: the last ipv6 fragment (offset 100) behind a hop-by-hop header", All,
            Arriving(FrameBuilder.Ipv6(Clients.V6, IpipVip6).Extension(Forwarder.Packets.IpProtocol.HopByHopOptions).FragmentHeader(100, more: false)
                .Transport(6, Data(100)).Build()), DropReason.IpFragment);
        yield return AtomicFragment();
    }

    /// <summary>An IPv6 fragment header with offset 0 and M clear (RFC 6946): a whole packet, forwarded with its fragment header.</summary>
    private static PacketFixture AtomicFragment()
    {
        const ushort clientPort = 50000;
        byte[] input = Arriving(FrameBuilder.Ipv6(Clients.V6, IpipVip6).FragmentHeader(0, more: false).Tcp(clientPort, 443, payload: 40).Build());
        var (backend, _) = FlowOwner.Of(All, IpipV6, Clients.V6, clientPort, 443);
        byte[] output = ToRouter(ExpectedEncapsulation.Ipip(input, Clients.V6, clientPort, backend.Address.ToString()));
        return new PacketFixture("fragment: an ipv6 atomic fragment (offset 0, M clear) is a whole packet, forwarded by ipip", All, input,
            DropReason.None, output, CounterDeltas.Forwarded(IpipV6, backend.Address, input.Length));
    }

    private static byte[] Data(int length)
    {
        var data = new byte[length];
        for (int i = 0; i < data.Length; i++)
            data[i] = (byte)(i * 7);
        return data;
    }
}
