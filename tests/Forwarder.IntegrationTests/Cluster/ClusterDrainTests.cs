using Forwarder.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Forwarder.IntegrationTests.Cluster;

/// <summary>
/// A graceful drain (SIGTERM) under load: the forwarder takes its liveness device down, so the router
/// withdraws the node at once, keeps forwarding until its VIP traffic has been quiet, then stops. 60
/// long-lived connections, one request every 20 ms each: none breaks and none stalls over 100 ms. The forwarders run
/// with <see cref="ClusterTopology.LenientWatchdogStall"/>: another node withdrawn by a starved worker's watchdog
/// would move its connections with a stall of one RTO, which is not the drain's.
/// </summary>
public sealed class ClusterDrainTests(ITestOutputHelper output)
{
    private const int Connections = 60;
    private const int Drained = 2;
    private static readonly TimeSpan StallBound = TimeSpan.FromMilliseconds(100);

    [RootFact]
    public void A_drained_node_leaves_without_a_broken_or_stalled_connection()
    {
        using ClusterTopology cluster = ClusterTopology.Create();
        using RouteMonitor routes = RouteMonitor.Start(cluster.Router);
        using KeepAliveConnections clients = KeepAliveConnections.Open(cluster.Client, ClusterTopology.VipEndpoint(), Connections);
        clients.StartLoops(TimeSpan.FromMilliseconds(20));
        Thread.Sleep(TimeSpan.FromSeconds(2));

        DateTime drained = DateTime.Now;
        int exit = cluster.Forwarder(Drained).Stop(LibC.SIGTERM);
        Thread.Sleep(TimeSpan.FromSeconds(1));
        clients.StopLoops();

        RouteMonitor.RouteChange? withdraw = routes.FirstWithout(ClusterTopology.Vip, ClusterTopology.NodeAddresses[Drained], drained);
        output.WriteLine($"drain of {ClusterTopology.NodeNames[Drained]}: exit {exit} after {(DateTime.Now - drained).TotalMilliseconds:F0} ms; route withdrawn " +
            (withdraw is null ? "never" : $"{(withdraw.At - drained).TotalMilliseconds:F0} ms after SIGTERM") + $"; {clients.Describe()}");
        Assert.Equal(0, exit);
        Assert.NotNull(withdraw);
        Assert.Empty(clients.Broken);
        Assert.True(clients.LargestGap <= StallBound + TimeSpan.FromMilliseconds(20),
            $"a connection stalled {clients.LargestGap.TotalMilliseconds:F0} ms\n{routes.Describe()}");
    }
}
