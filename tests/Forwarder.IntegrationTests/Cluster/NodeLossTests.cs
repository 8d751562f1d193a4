using System.Net;
using Forwarder.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Forwarder.IntegrationTests.Cluster;

/// <summary>
/// A node lost under load: 60 long-lived keep-alive connections, one request every 20 ms each, spread
/// over the three nodes. The router's withdraw is timed by `ip -ts monitor route` in the router; every
/// connection must survive (the surviving nodes hold the same Maglev tables, so they send each moved flow
/// to the backend it already had).
/// </summary>
public sealed class NodeLossTests(ITestOutputHelper output)
{
    private const int Connections = 60;
    private static readonly TimeSpan RequestInterval = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan KillWithdrawBound = TimeSpan.FromMilliseconds(150);
    private static readonly TimeSpan HungWithdrawBound = TimeSpan.FromSeconds(1);
    private const int Victim = 1;
    private const int SigCont = 18, SigStop = 19;

    [RootFact]
    public void Kill_9_of_a_forwarder_is_withdrawn_within_150_ms_and_breaks_no_connection() => KillNine(ipv6: false);

    [RootFact]
    public void Kill_9_of_a_forwarder_is_withdrawn_within_150_ms_and_breaks_no_ipv6_connection() => KillNine(ipv6: true);

    private void KillNine(bool ipv6)
    {
        using ClusterTopology cluster = ClusterTopology.Create();
        IPAddress vip = ipv6 ? ClusterTopology.Vip6 : ClusterTopology.Vip;
        using RouteMonitor routes = RouteMonitor.Start(cluster.Router);
        using KeepAliveConnections clients = KeepAliveConnections.Open(cluster.Client, ClusterTopology.VipEndpoint(ipv6), Connections);
        clients.StartLoops(RequestInterval);
        Thread.Sleep(Settle);
        long victimPackets = cluster.VipPackets(Victim);

        DateTime killed = DateTime.Now;
        cluster.Forwarder(Victim).Signal(LibC.SIGKILL);
        Thread.Sleep(Settle);
        clients.StopLoops();

        Report(cluster, routes, clients, vip, killed, "kill -9");
        Assert.True(victimPackets > 0, $"no connection went through {ClusterTopology.NodeNames[Victim]}: nothing to move\n{cluster.Describe()}");
        RouteMonitor.RouteChange withdraw = WithdrawOf(cluster, routes, vip, killed);
        Assert.True(withdraw.At - killed <= KillWithdrawBound,
            $"the router withdrew {ClusterTopology.NodeNames[Victim]} {(withdraw.At - killed).TotalMilliseconds:F0} ms after kill -9\n{routes.Describe()}");
        Assert.Empty(clients.Broken);
        Assert.All(clients.All, c => Assert.Single(c.Backends));
    }

    [RootFact]
    public void A_hung_node_is_withdrawn_by_bfd_within_1_s_and_breaks_no_connection()
    {
        using ClusterTopology cluster = ClusterTopology.Create();
        using RouteMonitor routes = RouteMonitor.Start(cluster.Router);
        using KeepAliveConnections clients = KeepAliveConnections.Open(cluster.Client, ClusterTopology.VipEndpoint(), Connections);
        clients.StartLoops(RequestInterval);
        Thread.Sleep(Settle);
        int forwarder = cluster.Forwarder(Victim).Pid, bird = cluster.BirdPid(ClusterTopology.NodeNames[Victim]);

        DateTime hung = DateTime.Now;
        try
        {
            LibC.Kill(forwarder, SigStop);
            LibC.Kill(bird, SigStop);
            Thread.Sleep(Settle);
            clients.StopLoops();
        }
        finally
        {
            LibC.Kill(bird, SigCont);
            LibC.Kill(forwarder, SigCont);
        }

        Report(cluster, routes, clients, ClusterTopology.Vip, hung, "SIGSTOP of forwarder and BIRD");
        RouteMonitor.RouteChange withdraw = WithdrawOf(cluster, routes, ClusterTopology.Vip, hung);
        Assert.True(withdraw.At - hung <= HungWithdrawBound,
            $"the router withdrew the hung {ClusterTopology.NodeNames[Victim]} {(withdraw.At - hung).TotalMilliseconds:F0} ms after it stopped\n{routes.Describe()}");
        Assert.Empty(clients.Broken);
        Assert.All(clients.All, c => Assert.Single(c.Backends));
    }

    private static RouteMonitor.RouteChange WithdrawOf(ClusterTopology cluster, RouteMonitor routes, IPAddress vip, DateTime after) =>
        routes.FirstWithout(vip, cluster.NodeAddress(Victim, vip.AddressFamily), after)
        ?? throw new InvalidOperationException($"the router never withdrew {ClusterTopology.NodeNames[Victim]}'s route to {vip}:\n{routes.Describe()}\n{cluster.Describe()}");

    private void Report(ClusterTopology cluster, RouteMonitor routes, KeepAliveConnections clients, IPAddress vip, DateTime at, string what)
    {
        RouteMonitor.RouteChange? withdraw = routes.FirstWithout(vip, cluster.NodeAddress(Victim, vip.AddressFamily), at);
        output.WriteLine($"{what} of {ClusterTopology.NodeNames[Victim]}: route to {vip} withdrawn " +
            (withdraw is null ? "never" : $"{(withdraw.At - at).TotalMilliseconds:F0} ms later") + $"; {clients.Describe()}");
        output.WriteLine(routes.Describe());
    }
}
