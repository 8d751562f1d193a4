using System.Buffers.Binary;
using System.Net;
using System.Runtime.Versioning;
using Forwarder.DataPlane;
using Forwarder.Hashing;
using Forwarder.Packets;
using Forwarder.Tests.Packets;
using Forwarder.ControlPlane;
using static Forwarder.Tests.LoadBalancing.LoadBalancerConfigs;

namespace Forwarder.Tests.LoadBalancing;

/// <summary>What the load balancer decides for each kind of packet, and what it counts.</summary>
[SupportedOSPlatform("linux")]
public sealed class LoadBalancerVerdictTests : IDisposable
{
    private const string Client = "192.168.1.1";
    private readonly LoadBalancerBed _bed = new();

    [Fact]
    public void Katrans_reference_flow_goes_to_the_backend_its_ring_slot_names()
    {
        byte[] frame = FrameBuilder.Ipv4(Client, IpipV4).Tcp(31337, 80).Build();

        ProcessedFrame result = _bed.Run(frame);

        Assert.Equal(DropReason.None, result.Verdict);
        Assert.Equal(0xc7e68632u, FlowHash.HashV4(WireAddress.FromIPAddress(IPAddress.Parse(Client)).V4, FlowHash.PortsWord(31337, 80)));
        ConfiguredVip vip = _bed.Configured.Vips[0];
        IPAddress expected = vip.Backends[vip.Entry.Slots![48717]].Address;
        Assert.Equal(expected, OuterIpv4Destination(result.Output!));
        Assert.Equal(1, _bed.Counters.VipPackets[0]);
        Assert.Equal(frame.Length, _bed.Counters.VipBytes[0]);
        Assert.Equal(1, _bed.Counters.BackendPackets[vip.Entry.Backends[vip.Entry.Slots[48717]].CounterIndex]);
    }

    [Theory]
    [InlineData("10.100.0.99", 80)] // no such address
    [InlineData(IpipV4, 81)]        // the VIP serves port 80 only
    public void A_packet_for_no_vip_is_dropped_as_unknown(string destination, ushort port)
    {
        Assert.Equal(DropReason.UnknownVip, _bed.Run(FrameBuilder.Ipv4(Client, destination).Tcp(1000, port).Build()).Verdict);
    }

    [Fact]
    public void Udp_to_a_tcp_only_vip_is_unknown()
    {
        Assert.Equal(DropReason.UnknownVip, _bed.Run(FrameBuilder.Ipv4(Client, IpipV4).Udp(1000, 80).Build()).Verdict);
    }

    [Fact]
    public void A_vip_without_backends_drops_its_packets_as_no_backend()
    {
        Assert.Equal(DropReason.NoBackend, _bed.Run(FrameBuilder.Ipv4(Client, NoBackends).Tcp(1000, 80).Build()).Verdict);
        Assert.Equal(0, _bed.Counters.VipPackets.Sum());
    }

    [Fact]
    public void A_port_zero_vip_takes_every_port()
    {
        foreach (ushort port in new ushort[] { 1, 53, 65535 })
            Assert.Equal(DropReason.None, _bed.Run(FrameBuilder.Ipv4(Client, GueAnyPort).Udp(1000, port).Build()).Verdict);
    }

    [Fact]
    public void Echo_requests_to_a_vip_address_are_answered_and_others_dropped()
    {
        ProcessedFrame answered = _bed.Run(FrameBuilder.Ipv4(Client, IpipV4).Icmp(8, 0, new byte[8]).Build());
        ProcessedFrame dropped = _bed.Run(FrameBuilder.Ipv4(Client, "10.9.9.9").Icmp(8, 0, new byte[8]).Build());

        Assert.Equal(DropReason.None, answered.Verdict);
        Assert.Equal(0, answered.Output![34]); // ICMP echo reply
        Assert.Equal(DropReason.EchoNotForVip, dropped.Verdict);
        Assert.Equal(1, _bed.Counters.EchoReplies);
    }

    [Fact]
    public void A_nat_backends_reply_is_rewritten_back_to_its_vip_and_counted_under_it()
    {
        byte[] reply = FrameBuilder.Ipv4("10.0.1.1", Client).Tcp(8080, 31337).Build();

        ProcessedFrame result = _bed.Run(reply);

        Assert.Equal(DropReason.None, result.Verdict);
        Assert.Equal(IPAddress.Parse(Nat), new IPAddress(result.Output.AsSpan(26, 4)));
        Assert.Equal(80, BinaryPrimitives.ReadUInt16BigEndian(result.Output.AsSpan(34)));
        Assert.Equal(RouterMacBytes, result.Output![..6]);
        Assert.Equal(1, _bed.Counters.NatReplies);
        Assert.Equal(1, _bed.Counters.VipPackets[3]);
    }

    [Fact]
    public void A_reply_from_a_nat_backend_on_another_port_is_not_ours()
    {
        Assert.Equal(DropReason.UnknownVip, _bed.Run(FrameBuilder.Ipv4("10.0.1.1", Client).Tcp(9090, 31337).Build()).Verdict);
    }

    [Fact]
    public void A_packet_too_big_to_encapsulate_is_answered_with_fragmentation_needed()
    {
        // 1500-byte IP packet with DF: 20 more bytes of IPv4 outer header exceed the 1500 MTU.
        byte[] frame = FrameBuilder.Ipv4(Client, IpipV4).Ipv4Fragment(0x4000).Tcp(31337, 80, payload: 1460).Build();

        ProcessedFrame result = _bed.Run(frame);

        Assert.Equal(DropReason.None, result.Verdict);
        byte[] icmp = result.Output!;
        Assert.Equal(1, icmp[23]);  // protocol ICMP
        Assert.Equal(3, icmp[34]);  // destination unreachable
        Assert.Equal(4, icmp[35]);  // fragmentation needed
        Assert.Equal(1480, BinaryPrimitives.ReadUInt16BigEndian(icmp.AsSpan(40)));
        Assert.Equal(1, _bed.Counters.TooBigAnswered);
        Assert.Equal(0, _bed.Counters.VipPackets[0]);
    }

    [Fact]
    public void A_packet_that_fits_exactly_once_encapsulated_is_forwarded()
    {
        byte[] frame = FrameBuilder.Ipv4(Client, IpipV4).Ipv4Fragment(0x4000).Tcp(31337, 80, payload: 1440).Build();

        Assert.Equal(DropReason.None, _bed.Run(frame).Verdict);
        Assert.Equal(0, _bed.Counters.TooBigAnswered);
    }

    [Fact]
    public void Parser_drops_keep_their_reason()
    {
        byte[] fragment = FrameBuilder.Ipv4(Client, IpipV4).Ipv4Fragment(0x2000).Tcp(31337, 80).Build();
        Assert.Equal(DropReason.IpFragment, _bed.Run(fragment).Verdict);
        Assert.Equal(DropReason.FrameTooShort, _bed.Run(new byte[10]).Verdict);
    }

    [Fact]
    public void Every_mode_forwards_and_counts_per_vip_and_backend()
    {
        byte[][] frames =
        [
            FrameBuilder.Ipv4(Client, IpipV4).Tcp(1, 80).Build(),
            FrameBuilder.Ipv4(Client, GueAnyPort).Udp(2, 9).Build(),
            FrameBuilder.Ipv4(Client, DsrL2).Udp(3, 53).Build(),
            FrameBuilder.Ipv4(Client, Nat).Tcp(4, 80).Build(),
            FrameBuilder.Ipv6("2001:db8::1", IpipV6).Tcp(5, 443).Build(),
            FrameBuilder.Ipv4(Client, IpipV4InV6).Udp(6, 80).Build(),
            FrameBuilder.Ipv4(Client, SmallRing).Udp(7, 80).Build(),
            FrameBuilder.Ipv4(Client, Mixed).Udp(8, 4000).Build(),
        ];

        ProcessedFrame[] results = _bed.Run(frames);

        Assert.All(results, r => Assert.Equal(DropReason.None, r.Verdict));
        IReadOnlyList<VipTotals> totals = _bed.Configured.Totals();
        Assert.Equal([1, 1, 1, 1, 1, 1, 0, 1, 1], totals.Select(t => t.Packets));
        Assert.Equal(8, totals.Sum(t => t.Backends.Sum(b => b.Packets)));
        Assert.Equal(DsrBackendMac, results[2].Output![..6]);
        Assert.Contains(new IPAddress(results[3].Output.AsSpan(30, 4)), new[] { IPAddress.Parse("10.0.1.1"), IPAddress.Parse("10.0.1.2") });
        Assert.Equal(0x86DD, BinaryPrimitives.ReadUInt16BigEndian(results[5].Output.AsSpan(12))); // IPv4 in IPv6
    }

    private static IPAddress OuterIpv4Destination(byte[] frame) => new(frame.AsSpan(30, 4));

    public void Dispose() => _bed.Dispose();
}
