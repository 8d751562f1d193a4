using Forwarder.IntegrationTests.Infrastructure;
using Forwarder.IntegrationTests.LoadBalancing;
using Xunit.Abstractions;
using static Forwarder.IntegrationTests.LoadBalancing.BackendPoolTopology;

namespace Forwarder.IntegrationTests.ControlPlane;

/// <summary>
/// Draining a backend (weight 0) with long-lived TCP connections open: with the connection table they
/// all survive while new connections avoid the drained backend; without it the forwarder is stateless
/// and the drained backend's connections move — and break — as documented.
/// </summary>
public sealed class DrainTests(ITestOutputHelper output)
{
    private const int Connections = 30;

    [RootFact]
    public void With_the_connection_table_a_drained_backends_open_connections_survive() => Drain(flowTable: true);

    [RootFact]
    public void Without_it_a_drained_backends_open_connections_move_and_break() => Drain(flowTable: false);

    private void Drain(bool flowTable)
    {
        string socket = Path.Combine(Path.GetTempPath(), $"fwt-api-{Environment.ProcessId}-{Guid.NewGuid():N}.sock");
        string[] options = flowTable ? ["--api", $"unix:{socket}", "--flow-table", "4096"] : ["--api", $"unix:{socket}"];
        using LoadBalancerUnderTest lb = LoadBalancerUnderTest.Start(LoadBalancingMode.Ipip, runOptions: options);
        Assert.True(Wait.Until(() => File.Exists(socket), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50)), "the API socket did not appear");
        using var api = new UnixApiClient(socket);
        Backend drained = lb.Backends[0];

        var pending = Enumerable.Range(0, Connections)
            .Select(i => PendingRequest.Open(lb.Topology.Client, new(ClientAddress, 31000 + i), VipEndpoint)).ToList();
        try
        {
            (int status, string body) = api.Send(HttpMethod.Put, $"/vips/{Vip}/{VipPort}/tcp/backends/{drained.Address}/weight", """{"weight": 0}""");
            Assert.True(status == 200, body);

            var answers = pending.Select(p => (p.LocalPort, Backend: p.Complete(out string? error), Error: error)).ToList();
            foreach (var a in answers)
                output.WriteLine($"port {a.LocalPort}: {a.Backend ?? a.Error}");
            IReadOnlyList<CurlOutcome> fresh = CurlRequests.Get(lb.Topology.Client, VipUrl, Enumerable.Range(32000, Connections).ToArray());

            Assert.All(fresh, o => Assert.True(o.Succeeded && o.Body != drained.Name, $"a new connection after the drain: {o}"));
            if (flowTable)
            {
                Assert.All(answers, a => Assert.True(a.Backend is not null, $"port {a.LocalPort} broke: {a.Error}\n{lb.Describe()}"));
                Assert.Contains(answers, a => a.Backend == drained.Name);
                output.WriteLine($"{answers.Count(a => a.Backend == drained.Name)} open connections on the drained {drained} survived");
            }
            else
            {
                int broken = answers.Count(a => a.Backend is null);
                output.WriteLine($"stateless: {broken} of {Connections} open connections broke (those on {drained})");
                Assert.True(broken > 0, "stateless forwarding should move the drained backend's connections");
                Assert.DoesNotContain(answers, a => a.Backend == drained.Name);
            }
        }
        finally
        {
            pending.ForEach(p => p.Dispose());
        }
    }
}
