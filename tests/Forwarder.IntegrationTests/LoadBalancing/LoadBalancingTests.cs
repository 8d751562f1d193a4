using System.Net;
using System.Runtime.Versioning;
using Forwarder.IntegrationTests.Infrastructure;
using Xunit.Abstractions;
using static Forwarder.IntegrationTests.LoadBalancing.BackendPoolTopology;

namespace Forwarder.IntegrationTests.LoadBalancing;

/// <summary>
/// Real HTTP clients (curl, wrk, plain sockets) through the forwarder to three nginx backends. Each mode
/// runs every test here in a topology of its own (see the derived classes). Client ports are chosen
/// below the ephemeral range, so each connection's 5-tuple is known.
/// </summary>
public abstract class LoadBalancingTests(LoadBalancingMode mode, ITestOutputHelper output)
{
    private const int Connections = 300;
    private const double EvenTolerance = 0.20;
    private static readonly TimeSpan ExchangeTimeout = TimeSpan.FromSeconds(3);

    protected LoadBalancingMode Mode => mode;
    protected ITestOutputHelper Output => output;

    [RootFact]
    public void Every_connection_is_answered_by_the_backend_that_saw_the_clients_own_address_and_port()
    {
        using LoadBalancerUnderTest lb = LoadBalancerUnderTest.Start(mode);
        IReadOnlyList<CurlOutcome> outcomes = CurlRequests.Get(lb.Topology.Client, VipUrl, ClientPorts(20000, Connections));
        AssertAllSucceeded(outcomes, Connections, lb);
        Assert.True(lb.WaitForRequestsServed(Connections), $"the backends logged {lb.RequestsServed().Values.Sum()} of {Connections} requests");

        Dictionary<int, (Backend Backend, NginxRequest Request)> byClientPort = [];
        foreach (Backend backend in lb.Backends)
        {
            foreach (NginxRequest request in backend.Nginx.Requests())
            {
                Assert.True(request.Client.Address.Equals(ClientAddress), $"{backend} saw a request from {request.Client}, not from the client {ClientAddress}");
                Assert.True(byClientPort.TryAdd(request.Client.Port, (backend, request)), $"client port {request.Client.Port} logged twice");
            }
        }
        foreach (CurlOutcome outcome in outcomes)
        {
            Assert.True(byClientPort.TryGetValue(outcome.LocalPort, out var seen), $"no backend logged the connection from port {outcome.LocalPort} ({outcome})");
            Assert.Equal(seen.Backend.Name, outcome.Body);
            // Under nat the backend itself is addressed; otherwise the packet still says VIP.
            IPAddress server = mode == LoadBalancingMode.Nat ? seen.Backend.Address : Vip;
            Assert.Equal(new IPEndPoint(server, VipPort), seen.Request.Server);
        }
    }

    [RootFact]
    public void The_forwarder_counts_the_packets_of_every_connection_and_drops_none()
    {
        using LoadBalancerUnderTest lb = LoadBalancerUnderTest.Start(mode);
        IReadOnlyList<CurlOutcome> outcomes = CurlRequests.Get(lb.Topology.Client, VipUrl, ClientPorts(22000, Connections));
        ForwarderReport report = lb.Stop();
        output.WriteLine(lb.FinalLine);
        AssertAllSucceeded(outcomes, Connections, lb);
        AssertNoDrops(report, lb);

        // At least a SYN, an ACK and the request per connection to each backend, and, under nat only,
        // at least a SYN-ACK, the answer and a FIN back from it, counted as its replies.
        LoadBalancingCounters counters = LoadBalancingCounters.Parse(lb.FinalLine);
        foreach (Backend backend in lb.Backends)
        {
            int answered = outcomes.Count(o => o.Body == backend.Name);
            Assert.True(counters.PacketsTo(backend.Address) >= 3 * answered,
                $"the forwarder counts {counters.PacketsTo(backend.Address)} packets to {backend}, which answered {answered} connections: {lb.FinalLine}");
            long replies = counters.RepliesFrom(backend.Address);
            Assert.True(mode == LoadBalancingMode.Nat ? replies >= 3 * answered : replies == 0,
                $"the forwarder counts {replies} replies of {backend} under {mode.ConfigName()}, which answered {answered} connections: {lb.FinalLine}");
        }
        bool repliesAsExpected = mode == LoadBalancingMode.Nat ? counters.NatReplies >= 3 * Connections : counters.NatReplies == 0;
        Assert.True(repliesAsExpected, $"{counters.NatReplies} nat replies under {mode.ConfigName()} ({Connections} connections): {lb.FinalLine}");
    }

    [RootFact]
    public void Connections_spread_within_20_percent_of_even_over_the_three_backends()
    {
        using LoadBalancerUnderTest lb = LoadBalancerUnderTest.Start(mode);
        IReadOnlyList<CurlOutcome> outcomes = CurlRequests.Get(lb.Topology.Client, VipUrl, ClientPorts(21000, Connections));
        AssertAllSucceeded(outcomes, Connections, lb);

        var shares = new BackendShares(lb.Backends.Select(b => b.Name), outcomes.Select(o => o.Body));
        output.WriteLine(shares.ToString());
        Assert.True(shares.AreWithin(EvenTolerance), $"connections are not spread within {EvenTolerance:P0} of even: {shares}");
    }

    [RootFact]
    [SupportedOSPlatform("linux")]
    public void Each_connection_reaches_the_backend_the_Maglev_table_names()
    {
        using LoadBalancerUnderTest lb = LoadBalancerUnderTest.Start(mode);
        var prediction = new MaglevPrediction(lb.Backends);
        var mismatches = new List<string>();
        foreach (int port in ClientPorts(23000, 100))
        {
            string answeredBy = Get(lb, port);
            string expected = prediction.BackendOf(ClientAddress, port, VipPort).Name;
            if (answeredBy != expected)
                mismatches.Add($"port {port}: {answeredBy}, expected {expected}");
        }
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of 100 flows reached another backend than Katran's hash names: {string.Join("; ", mismatches.Take(10))}");
    }

    [RootFact]
    public void A_repeated_five_tuple_reaches_the_same_backend_every_time()
    {
        const int Ports = 20, Rounds = 5;
        using LoadBalancerUnderTest lb = LoadBalancerUnderTest.Start(mode);
        int[] ports = ClientPorts(30000, Ports);
        var answers = ports.ToDictionary(port => port, _ => new List<string>());
        // Round after round, so each 5-tuple comes back after the others ran.
        for (int round = 0; round < Rounds; round++)
        {
            foreach (int port in ports)
                answers[port].Add(Get(lb, port));
        }
        string[] unstable = answers.Where(a => a.Value.Distinct().Count() > 1).Select(a => $"port {a.Key}: {string.Join(',', a.Value)}").ToArray();
        Assert.True(unstable.Length == 0, $"a 5-tuple reached more than one backend: {string.Join("; ", unstable)}");
        int backendsUsed = answers.Values.Select(a => a[0]).Distinct().Count();
        Assert.True(backendsUsed > 1, $"all {Ports} flows reached one backend, so stickiness says nothing: {string.Join(", ", answers.Select(a => $"{a.Key}:{a.Value[0]}"))}");
    }

    [RootFact]
    public void Load_from_wrk_is_served_without_errors_by_every_backend()
    {
        using LoadBalancerUnderTest lb = LoadBalancerUnderTest.Start(mode);
        WrkResult wrk;
        try
        {
            wrk = WrkLoad.Run(lb.Topology.Client, VipUrl, seconds: 3, connections: 16);
        }
        catch (CommandFailedException e)
        {
            throw new InvalidOperationException($"{e.Message}\n{lb.Describe()}", e);
        }
        lb.WaitForRequestsServed((int)wrk.Requests);
        IReadOnlyDictionary<string, int> served = lb.RequestsServed();
        ForwarderReport report = lb.Stop();
        output.WriteLine($"{wrk}\nserved: {string.Join(", ", served.Select(s => $"{s.Key} {s.Value}"))}\n{lb.FinalLine}");

        Assert.True(wrk.SocketErrors == 0 && wrk.BadResponses == 0, $"wrk saw errors:\n{wrk}\n{lb.Describe()}");
        Assert.True(wrk.Requests >= 300, $"wrk completed only {wrk.Requests} requests in 3 s:\n{wrk}");
        // The server closes every connection, so wrk opens thousands: each backend gets about a third.
        Assert.True(served.Values.All(n => n >= 0.2 * wrk.Requests), $"a backend served less than 20% of {wrk.Requests} requests: {string.Join(", ", served)}");
        AssertNoDrops(report, lb);
    }

    /// <summary>One plain-socket GET from the client's <paramref name="port"/>; the name of the backend that answered.</summary>
    protected static string Get(LoadBalancerUnderTest lb, int port)
    {
        try
        {
            return HttpExchange.Get(lb.Topology.Client, new IPEndPoint(ClientAddress, port), VipEndpoint, ExchangeTimeout).Trim();
        }
        catch (IOException e)
        {
            throw new InvalidOperationException($"{e.Message}\n{lb.Describe()}", e);
        }
    }

    protected static int[] ClientPorts(int first, int count) => Enumerable.Range(first, count).ToArray();

    protected static void AssertAllSucceeded(IReadOnlyList<CurlOutcome> outcomes, int expected, LoadBalancerUnderTest lb)
    {
        CurlOutcome[] failed = outcomes.Where(o => !o.Succeeded).ToArray();
        Assert.True(outcomes.Count == expected && failed.Length == 0,
            $"{outcomes.Count - failed.Length} of {expected} connections answered" +
            (outcomes.Count < expected ? $" (stopped after {CurlRequests.MaxFailures} failures)" : "") +
            $"; failures: {string.Join("; ", failed.Take(5))}\n{lb.Describe()}");
        string[] names = lb.Backends.Select(b => b.Name).ToArray();
        CurlOutcome[] strangers = outcomes.Where(o => !names.Contains(o.Body)).ToArray();
        Assert.True(strangers.Length == 0, $"answers that name no backend: {string.Join("; ", strangers.Take(5))}");
    }

    protected static void AssertNoDrops(ForwarderReport report, LoadBalancerUnderTest lb)
    {
        Assert.True(report.TotalTx > 0, $"the forwarder sent nothing: {lb.FinalLine}");
        Assert.True(report.TotalDrops == 0 && report.Xdp.NoSocket == 0, $"the forwarder dropped frames: {lb.FinalLine}");
    }
}
