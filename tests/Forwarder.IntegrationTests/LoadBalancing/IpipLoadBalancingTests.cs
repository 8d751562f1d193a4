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
        using LoadBalancerUnderTest lb = LoadBalancerUnderTest.Start(Mode, vip: v => v.Maglev(ringSize: RingSize));
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

    /// <summary>
    /// A <c>no_source_port</c> VIP: every connection of one client leaves the forwarder from one outer source, the one
    /// Katran derives from the client's address and port 0 (172.16.c.d for client a.b.c.d), whichever port the client
    /// used. Seen on the router, before the backends' decap programs strip the outer header.
    /// </summary>
    [RootFact]
    public void A_no_source_port_vip_sends_every_connection_of_a_client_from_one_outer_source()
    {
        const int Flows = 12, Packets = 2 * Flows;
        using LoadBalancerUnderTest lb = LoadBalancerUnderTest.Start(Mode, vip: v => v.Flags("no_source_port"));
        using var capture = NamespaceProcess.Start(lb.Topology.Router, "tcpdump", "-i", "rl", "-n", "-l", "-c", $"{Packets}", "ip proto 4");
        Assert.True(Wait.Until(() => capture.Output.Contains("listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(5)), capture.Describe());

        foreach (int port in ClientPorts(27000, Flows))
            Get(lb, port);
        Assert.True(Wait.Until(() => capture.HasExited, TimeSpan.FromSeconds(5)), $"fewer than {Packets} ipip packets seen:\n{capture.Describe()}");

        // "TIME IP OUTER > BACKEND: IP CLIENT.PORT > VIP.80: ..."
        string[][] packets = capture.Output.Split('\n').Select(line => line.Split(' ')).Where(f => f.Length > 5 && f[1] == "IP" && f[5] == "IP").ToArray();
        byte[] client = ClientAddress.GetAddressBytes();
        string expected = $"172.16.{client[2]}.{client[3]}";
        Assert.True(packets.Length == Packets, $"{packets.Length} ipip packets parsed:\n{capture.Describe()}");
        Assert.All(packets, f => Assert.Equal(expected, f[2]));
        int clientPorts = packets.Select(f => f[6]).Distinct().Count(); // inner CLIENT.PORT
        Assert.True(clientPorts > 1, $"the capture holds packets of one connection only:\n{capture.Describe()}");
    }
}
