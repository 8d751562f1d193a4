using System.Runtime.Versioning;
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

    /// <summary>
    /// A VIP whose ring is not 65537 slots: every connection reaches the backend that a Katran built with that
    /// ring size picks, its flow hash seeded with 512 × 1009.
    /// </summary>
    [RootFact]
    [SupportedOSPlatform("linux")]
    public void Each_connection_of_a_1009_slot_ring_reaches_the_backend_of_a_katran_built_for_that_ring()
    {
        const int RingSize = 1009, Flows = 60;
        using LoadBalancerUnderTest lb = LoadBalancerUnderTest.Start(Mode, vipSettings: $"""
                maglev:
                  ring_size: {RingSize}
            """);
        var prediction = new MaglevPrediction(lb.Backends, RingSize);
        var mismatches = new List<string>();
        foreach (int port in ClientPorts(26000, Flows))
        {
            string answeredBy = Get(lb, port);
            string expected = prediction.BackendOf(ClientAddress, port, VipPort).Name;
            if (answeredBy != expected)
                mismatches.Add($"port {port}: {answeredBy}, expected {expected}");
        }
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {Flows} flows reached another backend than Katran's: {string.Join("; ", mismatches.Take(10))}");
    }
}
