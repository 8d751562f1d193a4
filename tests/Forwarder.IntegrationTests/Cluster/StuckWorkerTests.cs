using Forwarder.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Forwarder.IntegrationTests.Cluster;

/// <summary>
/// A forwarder alive but stuck while its BIRD runs on: BGP, BFD and the link all look fine, so only the
/// forwarder's own watchdog can withdraw the node. The worker thread of n2's one queue is stopped from
/// outside (ptrace, <see cref="ThreadFreeze"/>) under 60 long-lived connections, one request every 20 ms
/// each: frames pile up in its RX ring, the watchdog takes the liveness device down after
/// <c>watchdog_stall</c> (200 ms), BIRD withdraws, and the router's route (timed by `ip -ts monitor route`)
/// drops n2 within 1 s; no connection breaks. Once the worker runs again the node comes back after a
/// second of progress.
/// </summary>
public sealed class StuckWorkerTests(ITestOutputHelper output)
{
    private const int Connections = 60;
    private const int Victim = 1;
    private static readonly TimeSpan RequestInterval = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan WithdrawBound = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ComeBackBound = TimeSpan.FromSeconds(10);

    [RootFact]
    public void A_forwarder_whose_worker_is_stuck_is_withdrawn_by_its_watchdog_within_1_s_and_breaks_no_connection()
    {
        using ClusterTopology cluster = ClusterTopology.Create();
        string node = ClusterTopology.NodeNames[Victim];
        // The measured node runs the design's stall; the others the lenient one, so that none of them is withdrawn
        // meanwhile by a worker merely starved of CPU on this shared machine.
        cluster.StartForwarder(Victim, ClusterTopology.DesignWatchdogStall);
        cluster.WaitUntilRouted(ClusterTopology.Vip, ClusterTopology.NodeNames);
        System.Net.IPAddress nextHop = ClusterTopology.NodeAddresses[Victim];
        using RouteMonitor routes = RouteMonitor.Start(cluster.Router);
        using KeepAliveConnections clients = KeepAliveConnections.Open(cluster.Client, ClusterTopology.VipEndpoint(), Connections);
        clients.StartLoops(RequestInterval);
        Thread.Sleep(Settle);
        long victimPackets = cluster.VipPackets(Victim);
        ForwarderProcess forwarder = cluster.Forwarder(Victim);
        string workerName = $"xdp {ClusterTopologyScript.Variable("CL_NODE_INTERFACE")} q0";
        int worker = ThreadFreeze.ThreadNamed(forwarder.Pid, workerName)
            ?? throw new InvalidOperationException($"no thread '{workerName}' in {node}'s forwarder ({forwarder.Pid})\n{cluster.Describe()}");

        DateTime frozen = DateTime.Now, thawed;
        using (ThreadFreeze.Freeze(worker))
        {
            Thread.Sleep(Settle);
            Assert.Contains(node, cluster.Birdc("rtr", "show protocols").Split('\n').Where(l => l.Contains("Established", StringComparison.Ordinal)).Select(l => l.Split(' ')[0]));
            thawed = DateTime.Now;
        }
        // Back after a second of progress (the recovery time), then BGP: bounded generously for a loaded machine.
        cluster.WaitUntilRouted(ClusterTopology.Vip, ClusterTopology.NodeNames, ComeBackBound);
        Thread.Sleep(TimeSpan.FromSeconds(1));
        clients.StopLoops();

        RouteMonitor.RouteChange? withdraw = routes.FirstWithout(ClusterTopology.Vip, nextHop, frozen);
        RouteMonitor.RouteChange? back = routes.Changes.FirstOrDefault(c => c.At >= thawed && c.IsFor(ClusterTopology.Vip) && !c.Deleted
            && c.Text.Contains($"via {nextHop} ", StringComparison.Ordinal));
        output.WriteLine($"worker of {node} stopped for {(thawed - frozen).TotalMilliseconds:F0} ms, its BIRD running: route to {ClusterTopology.Vip} withdrawn " +
            (withdraw is null ? "never" : $"{(withdraw.At - frozen).TotalMilliseconds:F0} ms after the stop") + "; back " +
            (back is null ? "never" : $"{(back.At - thawed).TotalMilliseconds:F0} ms after the thaw") + $"; {clients.Describe()}");
        output.WriteLine(routes.Describe());

        Assert.True(victimPackets > 0, $"no connection went through {node}: nothing to move\n{cluster.Describe()}");
        Assert.True(withdraw is not null, $"the router never withdrew the stuck {node}:\n{routes.Describe()}\n{cluster.Describe()}");
        Assert.True(withdraw.At - frozen <= WithdrawBound,
            $"the router withdrew the stuck {node} {(withdraw.At - frozen).TotalMilliseconds:F0} ms after its worker stopped\n{routes.Describe()}");
        Assert.True(back is not null, $"the router's route did not come back through {node} after the thaw:\n{routes.Describe()}");
        Assert.Empty(clients.Broken);
        Assert.All(clients.All, c => Assert.Single(c.Backends));
        string log = string.Join('\n', forwarder.StdoutLines);
        Assert.Contains("watchdog: the worker of queue 0 made no progress for 200 ms with frames waiting in its RX ring; withdrawing (stall 1)", log);
        Assert.Contains("watchdog: no worker stalled for 1000 ms", log);
    }
}
