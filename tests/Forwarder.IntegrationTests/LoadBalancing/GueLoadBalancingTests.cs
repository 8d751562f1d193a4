using Forwarder.IntegrationTests.Infrastructure;
using Xunit.Abstractions;
using static Forwarder.IntegrationTests.LoadBalancing.BackendPoolTopology;

namespace Forwarder.IntegrationTests.LoadBalancing;

/// <summary>gue: the forwarder encapsulates in IPv4 + UDP to the router; each backend's XDP decap program strips the outer headers.</summary>
public sealed class GueLoadBalancingTests(ITestOutputHelper output) : LoadBalancingTests(LoadBalancingMode.Gue, output)
{
    private const int GuePort = 6080;

    /// <summary>
    /// Every outer UDP source port is the one Katran derives from the client's address and port: for client a.b.c.d
    /// and port hi·256+lo, <c>((c ^ lo) &lt;&lt; 8) | (d ^ hi)</c>, so a flow keeps one outer 5-tuple whichever node sends it.
    /// Seen on the router, before the backends' decap programs strip the outer headers.
    /// </summary>
    [RootFact]
    public void The_outer_udp_source_port_is_the_one_katran_derives_from_the_client_address_and_port()
    {
        const int Flows = 12, Packets = 2 * Flows;
        using LoadBalancerUnderTest lb = LoadBalancerUnderTest.Start(Mode);
        using var capture = NamespaceProcess.Start(lb.Topology.Router, "tcpdump", "-i", "rl", "-n", "-l", "-c", $"{Packets}", $"udp dst port {GuePort}");
        Assert.True(Wait.Until(() => capture.Output.Contains("listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(5)), capture.Describe());

        int[] clientPorts = ClientPorts(28000, Flows);
        foreach (int port in clientPorts)
            Get(lb, port);
        Assert.True(Wait.Until(() => capture.HasExited, TimeSpan.FromSeconds(5)), $"fewer than {Packets} gue packets seen:\n{capture.Describe()}");

        byte[] client = ClientAddress.GetAddressBytes();
        HashSet<int> katran = clientPorts.Select(p => (client[2] ^ (p & 0xFF)) << 8 | (client[3] ^ (p >> 8))).ToHashSet();
        // "TIME IP SOURCE.SPORT > BACKEND.6080: UDP, length N"
        int[] seen = capture.Output.Split('\n').Select(line => line.Split(' ')).Where(f => f.Length > 4 && f[1] == "IP" && f[4].EndsWith($".{GuePort}:", StringComparison.Ordinal))
            .Select(f => int.Parse(f[2][(f[2].LastIndexOf('.') + 1)..], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.True(seen.Length == Packets, $"{seen.Length} gue packets parsed:\n{capture.Describe()}");
        int[] foreign = seen.Where(port => !katran.Contains(port)).Distinct().ToArray();
        Assert.True(foreign.Length == 0, $"outer source ports {string.Join(", ", foreign)} are none of Katran's {string.Join(", ", katran)}");
        Assert.True(seen.Distinct().Count() > 1, $"the capture holds packets of one connection only:\n{capture.Describe()}");
    }
}
