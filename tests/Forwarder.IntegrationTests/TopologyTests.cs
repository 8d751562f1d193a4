using Forwarder.IntegrationTests.Infrastructure;
using static Forwarder.IntegrationTests.Infrastructure.LoadBalancerTopology;

namespace Forwarder.IntegrationTests;

/// <summary>
/// The test topology on its own, with lb's kernel doing the hairpin the forwarder does later:
/// when these fail, the namespaces or routes are broken, not the forwarder.
/// </summary>
public sealed class TopologyTests
{
    [RootFact]
    public void Kernel_hairpin_through_lb_delivers_every_vip_datagram_to_sink()
    {
        using LoadBalancerTopology topology = Create();
        topology.EnableKernelForwardingOnLoadBalancer();
        using UdpReceiver sink = UdpReceiver.Start(topology.Sink, VipEndpoint);
        using UdpSender client = UdpSender.Create(topology.Client, sourcePorts: 16);

        uint run = DatagramPayload.NewRunId();
        client.Send(VipEndpoint, run, count: 500);

        Assert.True(sink.WaitFor(run, 500, TimeSpan.FromSeconds(5)),
            $"sink got {sink.CountOf(run)} of 500; missing {string.Join(',', sink.Missing(run, 500))}");
    }

    [RootFact]
    public void Without_kernel_forwarding_on_lb_vip_datagrams_go_nowhere()
    {
        using LoadBalancerTopology topology = Create();
        using UdpReceiver sink = UdpReceiver.Start(topology.Sink, VipEndpoint);
        using UdpSender client = UdpSender.Create(topology.Client);

        uint run = DatagramPayload.NewRunId();
        client.Send(VipEndpoint, run, count: 50);

        Assert.False(sink.WaitFor(run, 1, TimeSpan.FromMilliseconds(500)), "VIP traffic reached sink although nothing forwards it in lb");
    }

    [RootFact]
    public void Dispose_removes_every_namespace_it_created()
    {
        string prefix;
        using (LoadBalancerTopology topology = Create())
        {
            prefix = topology.Prefix;
            Assert.Equal(4, NamespacesStartingWith(prefix).Count);
        }
        Assert.Empty(NamespacesStartingWith(prefix));
    }

    private static List<string> NamespacesStartingWith(string prefix) =>
        HostCommand.Check("ip", "netns", "list").Stdout.Split('\n')
            .Select(line => line.Split(' ')[0])
            .Where(name => name.StartsWith(prefix + "-", StringComparison.Ordinal))
            .ToList();
}
