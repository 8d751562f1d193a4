using System.Net;
using Forwarder.IntegrationTests.Infrastructure;
using static Forwarder.IntegrationTests.Infrastructure.LoadBalancerTopology;

namespace Forwarder.IntegrationTests;

/// <summary>VIP packets go to the forwarder's sockets and out to sink; everything else reaches lb's kernel.</summary>
public sealed class VipSteeringTests
{
    private static readonly TimeSpan ArrivalTimeout = TimeSpan.FromSeconds(5);

    [RootFact]
    public void Vip_datagrams_reach_sink_while_pings_and_other_udp_reach_the_lb_kernel()
    {
        using LoadBalancerTopology topology = Create();
        // With the VIP also on lb's loopback, a VIP datagram the program wrongly passes would land in
        // lb (no listener on the VIP port) instead of sink, and one on another port has somewhere to go.
        topology.AddVipToLoadBalancer();
        using UdpReceiver sink = UdpReceiver.Start(topology.Sink, VipEndpoint);
        using UdpReceiver lbOwnAddress = UdpReceiver.Start(topology.LoadBalancer, new IPEndPoint(LbAddress, 7000));
        using UdpReceiver lbOtherVipPort = UdpReceiver.Start(topology.LoadBalancer, new IPEndPoint(Vip, VipPort + 1));
        using UdpSender client = UdpSender.Create(topology.Client, sourcePorts: 8);
        using ForwarderProcess forwarder = ForwarderProcess.Start(topology.LoadBalancer, topology.ForwarderOptions());
        forwarder.WaitForReady();

        uint vipRun = DatagramPayload.NewRunId();
        client.Send(VipEndpoint, vipRun, count: 200);
        Assert.True(sink.WaitFor(vipRun, 200, ArrivalTimeout),
            $"sink got {sink.CountOf(vipRun)} of 200 VIP datagrams.\n{forwarder.Describe()}");

        Assert.True(IcmpEcho.Ping(topology.Router, LbAddress), "lb does not answer pings from rtr while the forwarder runs");
        Assert.True(IcmpEcho.Ping(topology.Client, LbAddress), "lb does not answer pings from cli while the forwarder runs");

        uint ownRun = DatagramPayload.NewRunId();
        client.Send(lbOwnAddress.LocalEndpoint, ownRun, count: 100);
        Assert.True(lbOwnAddress.WaitFor(ownRun, 100, ArrivalTimeout),
            $"lb's kernel got {lbOwnAddress.CountOf(ownRun)} of 100 datagrams to its own address");

        uint otherPortRun = DatagramPayload.NewRunId();
        client.Send(lbOtherVipPort.LocalEndpoint, otherPortRun, count: 100);
        Assert.True(lbOtherVipPort.WaitFor(otherPortRun, 100, ArrivalTimeout),
            $"lb's kernel got {lbOtherVipPort.CountOf(otherPortRun)} of 100 datagrams to the VIP on a port that is not a VIP port");

        Assert.Equal(0, forwarder.Stop());
        ForwarderReport report = forwarder.Report();
        Assert.True(report.Xdp.Redirected >= 200, $"redirected < 200: {report}");
        Assert.True(report.TotalTx >= 200, $"tx < 200: {report}");
        Assert.True(report.Xdp.Passed >= 200, $"the 200 non-VIP datagrams are not all counted as passed: {report}");
    }
}
