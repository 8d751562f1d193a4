using System.Net;
using System.Net.Sockets;
using Forwarder.IntegrationTests.Infrastructure;
using Xunit.Abstractions;
using static Forwarder.IntegrationTests.LoadBalancing.BackendPoolTopology;

namespace Forwarder.IntegrationTests.LoadBalancing;

/// <summary>
/// Under nat the forwarder steers packets by their source (a backend's address and port) to rewrite replies back
/// to the VIP. Packets of the same backends to the forwarder's own host are no replies: health probes, the host's
/// own TCP and UDP, ICMP errors about its datagrams and traffic from an address added while it runs all reach the
/// host's kernel untouched, while the clients' traffic through the VIP keeps working.
/// </summary>
public sealed class NatHostTrafficTests(ITestOutputHelper output)
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan AddressSeenBound = TimeSpan.FromSeconds(5);
    private static readonly IPAddress AddedLbAddress = OnSegment(3);
    private const int ClosedPort = 9;

    private static readonly Action<VipBuilder> TcpHealthCheck = vip => vip.HealthCheck("type: tcp");

    [RootFact]
    public void Health_checks_on_the_backends_port_keep_every_backend_up_and_clients_are_served()
    {
        const int Rounds = 6, PerRound = 10;
        using LoadBalancerUnderTest lb = LoadBalancerUnderTest.Start(LoadBalancingMode.Nat, TcpHealthCheck);
        var outcomes = new List<CurlOutcome>();
        // Probes run every 100 ms and mark a backend down within about a second: curl for three seconds.
        for (int round = 0; round < Rounds; round++)
        {
            outcomes.AddRange(CurlRequests.Get(lb.Topology.Client, VipUrl, Enumerable.Range(24000 + round * PerRound, PerRound).ToArray()));
            if (outcomes.Any(o => !o.Succeeded))
                break;
            Thread.Sleep(TimeSpan.FromMilliseconds(500));
        }
        ForwarderReport report = lb.Stop();
        output.WriteLine(lb.FinalLine);

        CurlOutcome[] failed = outcomes.Where(o => !o.Succeeded).ToArray();
        Assert.True(outcomes.Count == Rounds * PerRound && failed.Length == 0,
            $"{outcomes.Count - failed.Length} of {Rounds * PerRound} requests answered while the backends were health-checked: {string.Join("; ", failed.Take(5))}\n{lb.Describe()}");
        string[] silent = lb.Backends.Select(b => b.Name).Where(name => !outcomes.Any(o => o.Body == name)).ToArray();
        Assert.True(silent.Length == 0, $"backends that answered none of {outcomes.Count} requests (marked down?): {string.Join(", ", silent)}\n{lb.Describe()}");
        Assert.True(report.Xdp.HostPassed > 0, $"no probe answer was handed to the host's kernel: {lb.FinalLine}");
    }

    [RootFact]
    public void With_an_any_port_nat_vip_the_host_talks_tcp_and_udp_to_its_backends()
    {
        using LoadBalancerUnderTest lb = LoadBalancerUnderTest.Start(LoadBalancingMode.Nat, vipPort: 0, vipProtocol: "any");
        NetworkNamespace host = lb.Topology.LoadBalancer;
        foreach (Backend backend in lb.Backends)
        {
            SocketError open = HostSockets.Connect(host, new IPEndPoint(backend.Address, VipPort), ConnectTimeout);
            Assert.True(open == SocketError.Success, $"the forwarder's host could not connect to {backend}'s nginx: {open}\n{lb.Describe()}");
            SocketError closed = HostSockets.Connect(host, new IPEndPoint(backend.Address, ClosedPort), ConnectTimeout);
            Assert.True(closed == SocketError.ConnectionRefused, $"a closed TCP port of {backend} gave {closed}, not a refusal\n{lb.Describe()}");
        }
        // The clients' replies are still rewritten back to the VIP.
        IReadOnlyList<CurlOutcome> outcomes = CurlRequests.Get(lb.Topology.Client, VipUrl, Enumerable.Range(24100, 10).ToArray());
        Assert.True(outcomes.All(o => o.Succeeded), $"requests through the VIP failed: {string.Join("; ", outcomes.Where(o => !o.Succeeded))}\n{lb.Describe()}");
        ForwarderReport report = lb.Stop();
        output.WriteLine(lb.FinalLine);
        Assert.True(report.Xdp.HostPassed > 0, $"nothing from the backends was handed to the host's kernel: {lb.FinalLine}");
    }

    [RootFact]
    public void A_datagram_from_the_host_to_a_closed_backend_port_gets_its_port_unreachable()
    {
        using LoadBalancerUnderTest lb = LoadBalancerUnderTest.Start(LoadBalancingMode.Nat);
        foreach (Backend backend in lb.Backends)
        {
            SocketError answer = HostSockets.SendDatagram(lb.Topology.LoadBalancer, new IPEndPoint(backend.Address, ClosedPort), ConnectTimeout);
            Assert.True(answer == SocketError.ConnectionRefused,
                $"a datagram to {backend}'s closed port {ClosedPort} got {answer}, not the ICMP port-unreachable (ECONNREFUSED)\n{lb.Describe()}");
        }
        ForwarderReport report = lb.Stop();
        output.WriteLine(lb.FinalLine);
        Assert.True(report.Xdp.HostPassed >= lb.Backends.Count, $"the ICMP errors were not handed to the host's kernel: {lb.FinalLine}");
    }

    [RootFact]
    public void An_address_added_to_the_interface_while_the_forwarder_runs_carries_host_traffic()
    {
        using LoadBalancerUnderTest lb = LoadBalancerUnderTest.Start(LoadBalancingMode.Nat, vipPort: 0, vipProtocol: "any");
        NetworkNamespace host = lb.Topology.LoadBalancer;
        var nginx = new IPEndPoint(lb.Backends[0].Address, VipPort);
        host.Ip("addr", "add", $"{AddedLbAddress}/24", "dev", LbInterface);

        SocketError last = SocketError.SocketError;
        bool connected = Wait.Until(() => (last = HostSockets.Connect(host, nginx, TimeSpan.FromMilliseconds(500), AddedLbAddress)) == SocketError.Success,
            AddressSeenBound, TimeSpan.FromMilliseconds(100));
        Assert.True(connected, $"no connection from {AddedLbAddress}, added to {LbInterface}, to {nginx} within {AddressSeenBound.TotalSeconds:0} s (last: {last})\n{lb.Describe()}");
        IReadOnlyList<CurlOutcome> outcomes = CurlRequests.Get(lb.Topology.Client, VipUrl, Enumerable.Range(24200, 10).ToArray());
        Assert.True(outcomes.All(o => o.Succeeded), $"requests through the VIP failed: {string.Join("; ", outcomes.Where(o => !o.Succeeded))}\n{lb.Describe()}");
    }

    /// <summary>The address with this last byte on the segment of lb's own address.</summary>
    private static IPAddress OnSegment(byte host)
    {
        byte[] bytes = LbAddress.GetAddressBytes();
        bytes[^1] = host;
        return new IPAddress(bytes);
    }
}
