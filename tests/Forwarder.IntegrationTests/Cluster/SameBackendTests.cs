using Forwarder.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Forwarder.IntegrationTests.Cluster;

/// <summary>
/// Flows that move between nodes keep their backend: 1,000 long-lived keep-alive connections, then one
/// node is taken out of the router's multipath route by hand (its BGP session disabled in the router's
/// BIRD) and put back, a request on every connection after each change. Every connection answers every
/// time, always from the same backend, though a third of them moved to another node and back.
/// </summary>
public sealed class SameBackendTests(ITestOutputHelper output)
{
    private const int Connections = 1_000;
    private const int Moved = 2;

    [RootFact]
    public void A_thousand_connections_moved_between_nodes_keep_their_backend()
    {
        using ClusterTopology cluster = ClusterTopology.Create();
        using KeepAliveConnections clients = KeepAliveConnections.Open(cluster.Client, ClusterTopology.VipEndpoint(), Connections);
        string node = ClusterTopology.NodeNames[Moved];
        long movedBefore = cluster.VipPackets(Moved);

        cluster.Birdc("rtr", $"disable {node}");
        cluster.WaitUntilRouted(ClusterTopology.Vip, ClusterTopology.NodeNames.Where(n => n != node).ToArray());
        clients.RequestEach();
        long movedWhileOut = cluster.VipPackets(Moved) - movedBefore;

        cluster.Birdc("rtr", $"enable {node}");
        cluster.WaitUntilRouted(ClusterTopology.Vip, ClusterTopology.NodeNames);
        long beforeBack = cluster.VipPackets(Moved);
        clients.RequestEach();
        long movedBack = cluster.VipPackets(Moved) - beforeBack;

        output.WriteLine($"{node} out: it took {movedWhileOut} VIP packets; back: it took {movedBack} (its flows returned); {clients.Describe()}");
        Assert.Empty(clients.Broken);
        Assert.All(clients.All, c => Assert.True(c.Backends.Count == 1, $"{c.Local} was answered by {string.Join(" then ", c.Backends)}"));
        Assert.Equal(0, movedWhileOut);
        // About a third of the 1,000 flows hash to the returning node; each request is at least two packets.
        Assert.True(movedBack >= 2 * Connections / 6, $"only {movedBack} packets reached {node} after it returned: too few flows moved to tell\n{cluster.Describe()}");
    }
}
