using Forwarder.IntegrationTests.Decap;
using Forwarder.IntegrationTests.Infrastructure;
using Xunit.Abstractions;
using static Forwarder.IntegrationTests.LoadBalancing.BackendPoolTopology;

namespace Forwarder.IntegrationTests.LoadBalancing;

/// <summary>ipip: the forwarder encapsulates to the router; each backend's XDP decap program strips the outer header.</summary>
public sealed class IpipLoadBalancingTests(ITestOutputHelper output) : LoadBalancingTests(LoadBalancingMode.Ipip, output)
{
    [RootFact]
    public void Every_backend_decapsulates_the_packets_of_the_connections_it_answers()
    {
        using LoadBalancerUnderTest lb = LoadBalancerUnderTest.Start(Mode);
        IReadOnlyList<CurlOutcome> outcomes = CurlRequests.Get(lb.Topology.Client, VipUrl, ClientPorts(25000, 60));
        AssertAllSucceeded(outcomes, 60, lb);

        foreach (Backend backend in lb.Backends)
        {
            DecapStatusReport status = DecapCli.Status(backend.Namespace, BackendInterface);
            int connections = outcomes.Count(o => o.Body == backend.Name);
            Output.WriteLine($"{backend}: {connections} connections; {status.Text.ReplaceLineEndings(", ")}");
            // A client sends at least a SYN, an ACK, the request and a FIN (or RST) per connection.
            Assert.True(status.Counter("decapsulated_ipip") >= 3 * connections,
                $"{backend} answered {connections} connections but decapsulated {status.Counter("decapsulated_ipip")} packets:\n{status}");
            Assert.True(status.Counter("not_accepted") == 0 && status.Counter("malformed") == 0,
                $"{backend} saw encapsulated packets it could not take:\n{status}");
        }
    }
}
