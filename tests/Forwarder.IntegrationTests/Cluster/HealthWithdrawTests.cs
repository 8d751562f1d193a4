using Forwarder.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Forwarder.IntegrationTests.Cluster;

/// <summary>
/// A node that sees every backend of a VIP fail withdraws that VIP alone, and only that node: n1's health
/// checks to the IPv4 backends are blackholed in n1 (its forwarded traffic leaves through AF_XDP and is
/// not routed by n1's kernel), so n1 sees the IPv4 VIP's backends all down while n2 and n3 see them up.
/// The router's IPv4 route drops n1, its IPv6 route keeps all three, and n1 returns once its checks pass
/// again. Connections that n1 carried may break: its checks fail backend by backend, so until the last
/// one fails n1 holds a table without the first ones and sends their flows elsewhere (nodes that see
/// health differently disagree: docs/scale-out.md, "Not covered"). Every connection that lives keeps
/// its backend.
/// </summary>
public sealed class HealthWithdrawTests(ITestOutputHelper output)
{
    private const int Connections = 60;
    private const int Blind = 0;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    [RootFact]
    public void A_vip_whose_backends_all_fail_on_one_node_is_withdrawn_by_that_node_alone()
    {
        using ClusterTopology cluster = ClusterTopology.Create();
        using RouteMonitor routes = RouteMonitor.Start(cluster.Router);
        using KeepAliveConnections clients = KeepAliveConnections.Open(cluster.Client, ClusterTopology.VipEndpoint(), Connections);
        clients.StartLoops(TimeSpan.FromMilliseconds(20));
        IReadOnlyList<string> others = ClusterTopology.NodeNames.Where((_, i) => i != Blind).ToArray();

        DateTime blinded = DateTime.Now;
        foreach (System.Net.IPAddress backend in ClusterTopology.BackendAddresses)
            cluster.Nodes[Blind].Ip("route", "add", "blackhole", $"{backend}/32");
        cluster.WaitUntilRouted(ClusterTopology.Vip, others, Bound);
        Thread.Sleep(TimeSpan.FromSeconds(1));
        Assert.Equal(others, cluster.RoutedNodes(ClusterTopology.Vip));

        foreach (System.Net.IPAddress backend in ClusterTopology.BackendAddresses)
            cluster.Nodes[Blind].Ip("route", "del", "blackhole", $"{backend}/32");
        cluster.WaitUntilRouted(ClusterTopology.Vip, ClusterTopology.NodeNames, Bound + Bound);
        clients.StopLoops();

        RouteMonitor.RouteChange? withdraw = routes.FirstWithout(ClusterTopology.Vip, ClusterTopology.NodeAddresses[Blind], blinded);
        output.WriteLine($"n1 blind to the IPv4 backends: the router's IPv4 route went through {string.Join(' ', others)} " +
            (withdraw is null ? "(change not seen)" : $"{(withdraw.At - blinded).TotalMilliseconds:F0} ms after the blackholes") +
            $", its IPv6 route through all three; {clients.Describe()}");
        Assert.True(!routes.Changes.Any(c => c.IsFor(ClusterTopology.Vip6)), $"the IPv6 VIP's route changed:\n{routes.Describe()}");
        Assert.All(clients.All, c => Assert.Single(c.Backends));
        Assert.True(clients.Broken.Count() < Connections / 2, $"more connections broke than n1 can have carried:\n{clients.Describe()}");
    }
}
