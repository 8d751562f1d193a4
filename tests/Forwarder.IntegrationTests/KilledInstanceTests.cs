using Forwarder.IntegrationTests.Infrastructure;
using Xunit.Abstractions;
using static Forwarder.IntegrationTests.Infrastructure.LoadBalancerTopology;

namespace Forwarder.IntegrationTests;

/// <summary>
/// SIGKILL leaves the program attached but closes its sockets: the program's redirect then falls
/// back to XDP_PASS, so VIP traffic reaches the kernel instead of vanishing, and a new instance
/// replaces the program left behind.
/// </summary>
public sealed class KilledInstanceTests(ITestOutputHelper output)
{
    private static readonly TimeSpan ArrivalTimeout = TimeSpan.FromSeconds(5);

    [RootFact]
    public void After_sigkill_vip_traffic_falls_back_to_the_kernel_and_a_new_instance_takes_over()
    {
        using LoadBalancerTopology topology = Create();
        using UdpReceiver sink = UdpReceiver.Start(topology.Sink, VipEndpoint);
        using UdpSender client = UdpSender.Create(topology.Client, sourcePorts: 8);

        using (ForwarderProcess killed = ForwarderProcess.Start(topology.LoadBalancer, topology.ForwarderOptions()))
        {
            killed.WaitForReady();
            SendAndExpectAtSink(client, sink, killed);
            killed.Signal(LibC.SIGKILL);
            killed.WaitForExit(ForwarderProcess.ExitTimeout);
        }
        // The scenario under test: nobody detached the program, but the kernel closed the sockets.
        string? leftBehind = XdpAttachment.ProgramOn(topology.LoadBalancer, LbInterface);
        output.WriteLine($"after SIGKILL: {leftBehind}");
        Assert.True(leftBehind?.Contains(XdpAttachment.ForwarderProgramName) == true,
            $"expected the killed instance's program to stay attached:\n{XdpAttachment.Describe(topology.LoadBalancer, LbInterface)}");

        // With the VIP on lb's loopback, VIP datagrams that reach lb's kernel are delivered in lb.
        topology.AddVipToLoadBalancer();
        using (UdpReceiver lbKernel = UdpReceiver.Start(topology.LoadBalancer, VipEndpoint))
        {
            uint fallbackRun = DatagramPayload.NewRunId();
            client.Send(VipEndpoint, fallbackRun, count: 100);
            Assert.True(lbKernel.WaitFor(fallbackRun, 100, ArrivalTimeout),
                $"lb's kernel got {lbKernel.CountOf(fallbackRun)} of 100 VIP datagrams after SIGKILL ({leftBehind})");
            Assert.Equal(0, sink.CountOf(fallbackRun));
        }
        topology.RemoveVipFromLoadBalancer();

        using ForwarderProcess successor = ForwarderProcess.Start(topology.LoadBalancer, topology.ForwarderOptions());
        successor.WaitForReady();
        output.WriteLine($"after the new start: {XdpAttachment.ProgramOn(topology.LoadBalancer, LbInterface)}");
        SendAndExpectAtSink(client, sink, successor);
        Assert.Equal(0, successor.Stop());
        ForwarderReport report = successor.Report();
        Assert.True(report.Xdp.Redirected >= 100, $"the new instance did not redirect the VIP datagrams: {report}");
        Assert.True(XdpAttachment.ProgramOn(topology.LoadBalancer, LbInterface) is null,
            $"still attached after the new instance's SIGTERM:\n{XdpAttachment.Describe(topology.LoadBalancer, LbInterface)}");
    }

    private static void SendAndExpectAtSink(UdpSender client, UdpReceiver sink, ForwarderProcess forwarder)
    {
        uint run = DatagramPayload.NewRunId();
        client.Send(VipEndpoint, run, count: 100);
        Assert.True(sink.WaitFor(run, 100, ArrivalTimeout),
            $"sink got {sink.CountOf(run)} of 100 VIP datagrams.\n{forwarder.Describe()}");
    }
}
