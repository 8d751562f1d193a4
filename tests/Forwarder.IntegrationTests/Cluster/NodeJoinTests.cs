using System.Net;
using Forwarder.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Forwarder.IntegrationTests.Cluster;

/// <summary>
/// A node joins under load: n3's forwarder is stopped (the router routes the VIP through n1 and n2), 60 long-lived
/// connections run (one request every 20 ms each), and n3's forwarder starts again until the router routes through
/// all three. Which connections moved to n3 is read from a capture on the router's link to n3 (XDP hides them from
/// a capture on the node): the client ports of the VIP packets the router sent there. With the router's resilient
/// next-hop group (<c>scripts/resilient-nexthops.sh</c>) none of them moves: busy buckets stay where they are and
/// only idle ones go to the joining node, which new connections then reach. Without it the multipath route rehashes
/// and about a third move; that count is reported, not asserted (they keep their backends: nothing breaks).
/// </summary>
public sealed class NodeJoinTests(ITestOutputHelper output)
{
    private const int Connections = 60;
    private const int NewConnections = 30;
    private const int Joining = 2;
    private static readonly TimeSpan RequestInterval = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan AfterJoin = TimeSpan.FromSeconds(3);

    [RootFact]
    public void With_the_resilient_group_a_joining_node_takes_no_live_connection() => Join(resilientGroups: true);

    [RootFact]
    public void Without_the_resilient_group_a_join_moves_live_connections_and_the_count_is_reported() => Join(resilientGroups: false);

    /// <summary>
    /// Joins n3 under load and prints how many live connections moved to it; with the resilient group, asserts none did
    /// and that new connections reach it (it really joined).
    /// </summary>
    private void Join(bool resilientGroups)
    {
        using ClusterTopology cluster = ClusterTopology.Create(resilientGroups);
        string node = ClusterTopology.NodeNames[Joining];
        string[] others = ClusterTopology.NodeNames.Where(n => n != node).ToArray();
        Assert.Equal(0, cluster.Forwarder(Joining).Stop(LibC.SIGTERM));
        cluster.WaitUntilRouted(ClusterTopology.Vip, others);

        using RouteMonitor routes = RouteMonitor.Start(cluster.Router);
        DateTime opened = DateTime.Now;
        using KeepAliveConnections clients = KeepAliveConnections.Open(cluster.Client, ClusterTopology.VipEndpoint(), Connections);
        clients.StartLoops(RequestInterval);
        Thread.Sleep(Settle);
        string pcap = Path.Combine(cluster.Directory, "join.pcap");
        TimeSpan joinTook;
        using (NamespaceProcess capture = NamespaceProcess.Start(cluster.Router, "tcpdump", "-i", $"r{node}", "-n", "-s", "128", "-U", "-w", pcap,
                   $"tcp dst port {ClusterTopology.VipPort} and dst host {ClusterTopology.Vip}"))
        {
            Assert.True(Wait.Until(() => capture.Output.Contains("listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(5)), capture.Describe());
            var clock = System.Diagnostics.Stopwatch.StartNew();
            cluster.StartForwarder(Joining);
            cluster.WaitUntilRouted(ClusterTopology.Vip, ClusterTopology.NodeNames);
            joinTook = clock.Elapsed;
            Thread.Sleep(AfterJoin);
            clients.StopLoops();
        }
        HashSet<int> portsOnJoiner = ClientPorts(HostCommand.Check("tcpdump", "-r", pcap, "-n", "-q").Stdout);
        int moved = clients.All.Count(c => c.Local is IPEndPoint local && portsOnJoiner.Contains(local.Port));

        long before = cluster.VipPackets(Joining);
        using (KeepAliveConnections fresh = KeepAliveConnections.Open(cluster.Client, ClusterTopology.VipEndpoint(), NewConnections))
            Assert.Empty(fresh.Broken);
        long newPackets = cluster.VipPackets(Joining) - before;

        output.WriteLine($"{node} joined {(resilientGroups ? "with" : "without")} the resilient group (routed {joinTook.TotalMilliseconds:F0} ms after its start): " +
            $"{moved} of {Connections} live connections moved to it; {NewConnections} new connections brought it {newPackets} VIP packets; {clients.Describe()}");
        // A node withdrawn meanwhile (a BFD session of a starved BIRD flapped) moves its flows for good: the join is then
        // not what was measured. BIRD's own routes (main or side table) tell.
        string[] flapped = Enumerable.Range(0, ClusterTopology.NodeNames.Count).Where(i => i != Joining)
            .Where(i => routes.Changes.Any(c => c.At >= opened && c.IsFor(ClusterTopology.Vip) && c.Text.Contains(" proto bird ", StringComparison.Ordinal)
                && (c.Deleted || !c.Text.Contains($"via {ClusterTopology.NodeAddresses[i]} ", StringComparison.Ordinal))))
            .Select(i => ClusterTopology.NodeNames[i]).ToArray();
        Assert.True(flapped.Length == 0, $"the router withdrew {string.Join(", ", flapped)} during the join (BFD flapped under load): " +
            $"the moved count is not the join's\n{routes.Describe()}\n{cluster.Describe()}");
        Assert.Empty(clients.Broken);
        Assert.All(clients.All, c => Assert.Single(c.Backends));
        if (!resilientGroups)
            return;
        Assert.True(moved == 0, $"{moved} of {Connections} live connections moved to the joining node despite the resilient group\n{routes.Describe()}\n{cluster.Describe()}");
        Assert.True(newPackets > 0, $"none of {NewConnections} new connections reached the joining node: it did not really join\n{cluster.Describe()}");
    }

    /// <summary>The client ports of `tcpdump -n -q` lines "TIME IP CLIENT.PORT > VIP.80: tcp N".</summary>
    private static HashSet<int> ClientPorts(string lines)
    {
        var ports = new HashSet<int>();
        foreach (string[] fields in lines.Split('\n').Select(l => l.Split(' ')).Where(f => f.Length > 3 && f[1] == "IP" && f[3] == ">"))
        {
            string source = fields[2];
            if (int.TryParse(source[(source.LastIndexOf('.') + 1)..], System.Globalization.CultureInfo.InvariantCulture, out int port))
                ports.Add(port);
        }
        return ports;
    }
}
