using Forwarder.IntegrationTests.Infrastructure;
using Forwarder.IntegrationTests.LoadBalancing;
using Xunit.Abstractions;
using static Forwarder.IntegrationTests.LoadBalancing.BackendPoolTopology;

namespace Forwarder.IntegrationTests.ControlPlane;

/// <summary>
/// Failover with real servers at the default health-check settings: while a client opens new connections
/// continuously, one backend's server stops. Within 500 ms no new connection goes to it, connections to
/// the other two never fail, and it takes connections again once its server is back.
/// </summary>
public sealed class FailoverTests(ITestOutputHelper output)
{
    private static readonly TimeSpan DetectionBound = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Phase = TimeSpan.FromSeconds(2);

    private static readonly Action<VipBuilder> TcpHealthCheck = vip => vip.HealthCheck("type: tcp");

    [RootFact]
    public void A_backend_whose_server_stops_gets_no_new_connection_after_500_ms_and_returns_after_recovery()
    {
        using LoadBalancerUnderTest lb = LoadBalancerUnderTest.Start(LoadBalancingMode.Ipip, TcpHealthCheck);
        Backend victim = lb.Backends[1];
        NginxServer? restarted = null;
        ConnectionLoop.Attempt[] attempts;
        TimeSpan stopped, recovered;
        using (var loop = new ConnectionLoop(lb.Topology.Client, ClientAddress, VipEndpoint, firstPort: 30000))
        {
            Thread.Sleep(Phase);
            stopped = ConnectionLoop.Elapsed;
            victim.Nginx.Dispose();
            Thread.Sleep(Phase);
            recovered = ConnectionLoop.Elapsed;
            restarted = NginxServer.Start(victim.Namespace, victim.Name);
            Thread.Sleep(Phase);
            attempts = [.. loop.Attempts];
        }
        try
        {
            Check(attempts, victim, stopped, recovered, lb);
        }
        finally
        {
            restarted?.Dispose();
        }
    }

    private void Check(ConnectionLoop.Attempt[] attempts, Backend victim, TimeSpan stopped, TimeSpan recovered, LoadBalancerUnderTest lb)
    {
        // "Before" means over before the server stopped: the one connection in flight at that moment may
        // be reset by the stopping server itself, which is what stopping a server does, not a failover fault.
        var before = attempts.Where(a => a.Finished < stopped).ToArray();
        var during = attempts.Where(a => a.Started >= stopped && a.Started < recovered).ToArray();
        var after = attempts.Where(a => a.Started >= recovered).ToArray();
        output.WriteLine($"{attempts.Length} connections: {before.Length} before the stop, {during.Length} while {victim} was down, {after.Length} after its restart");

        Assert.True(before.Length > 50 && before.All(a => a.Succeeded), $"connections failed before anything stopped:\n{Failures(before)}\n{lb.Describe()}");
        Assert.Contains(before, a => a.Backend == victim.Name);

        // The last connection that still went to the stopped server (it fails: nothing listens there).
        ConnectionLoop.Attempt? lastToVictim = during.LastOrDefault(a => !a.Succeeded || a.Backend == victim.Name);
        TimeSpan detection = lastToVictim is null ? TimeSpan.Zero : lastToVictim.Started - stopped;
        output.WriteLine($"detection: the last new connection to {victim} started {detection.TotalMilliseconds:F0} ms after its server stopped " +
            $"({during.Count(a => !a.Succeeded)} connections failed meanwhile)");
        Assert.True(detection <= DetectionBound,
            $"connections still went to {victim} {detection.TotalMilliseconds:F0} ms after its server stopped:\n{Failures(during)}\n{lb.Describe()}");
        Assert.True(during.Count(a => a.Succeeded) > 50, "too few connections while the backend was down to tell");
        Assert.All(during.Where(a => a.Started > stopped + DetectionBound), a => Assert.True(a.Succeeded && a.Backend != victim.Name, $"{a}"));

        ConnectionLoop.Attempt? firstBack = after.FirstOrDefault(a => a.Backend == victim.Name);
        Assert.True(firstBack is not null, $"{victim} took no connection within {Phase.TotalSeconds} s of its server's restart\n{lb.Describe()}");
        output.WriteLine($"recovery: {victim} answered again {(firstBack.Started - recovered).TotalMilliseconds:F0} ms after its server restarted");
        Assert.All(after.Where(a => a.Started > firstBack.Started), a => Assert.True(a.Succeeded, $"{a}"));
    }

    private static string Failures(IEnumerable<ConnectionLoop.Attempt> attempts) =>
        string.Join('\n', attempts.Where(a => !a.Succeeded).Take(10).Select(a => $"{a.Started.TotalMilliseconds:F0} ms: {a.Error}"));
}
