using System.Net;
using System.Net.Sockets;
using Forwarder.IntegrationTests.Infrastructure;
using Forwarder.IntegrationTests.LoadBalancing;
using Xunit.Abstractions;

namespace Forwarder.IntegrationTests.Upgrade;

/// <summary>
/// A backend down before an upgrade gets no datagram from the successor, not even from its first batch: the marks
/// handed over are in the successor's tables before its workers take over, not only once its checks start. Three ipip
/// backends serve a UDP VIP, each counting what reaches it with a receiver of its own; the check probes a port only
/// b1 and b3 listen on, so b2 is down (but would take what it is sent). Datagrams from 256 source ports (256 flows,
/// each packet a Maglev lookup: no flow table) flow before, during and after the upgrade: b2 must receive none.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class UpgradeDownBackendTrafficTests(ITestOutputHelper output)
{
    private const int CheckPort = 8081;
    private const int UdpPort = 5000;
    private const int PacketsPerSecond = 10_000;
    private const int RunLength = 2_000;
    private const string Down = "b2";

    [RootFact]
    public void A_backend_down_before_an_upgrade_receives_nothing_from_the_successor()
    {
        using LoadBalancerUnderTest lb = LoadBalancerUnderTest.Start(LoadBalancingMode.Ipip,
            vip => vip.HealthCheck($"type: tcp, port: {CheckPort}, interval_ms: 500, timeout_ms: 300, fall: 1, rise: 2"),
            runOptions: ["--stats-interval", "0"], vipPort: UdpPort, vipProtocol: "udp");
        var vip = new IPEndPoint(BackendPoolTopology.Vip, UdpPort);
        List<TcpListener> checks = lb.Backends.Where(b => b.Name != Down).Select(b => b.Namespace.RunInside(() =>
        {
            var listener = new TcpListener(IPAddress.Any, CheckPort); // the kernel completes the check's handshake; nothing needs accepting
            listener.Start(4096);
            return listener;
        })).ToList();
        Dictionary<string, UdpReceiver> receivers = lb.Backends.ToDictionary(b => b.Name, b => UdpReceiver.Start(b.Namespace, vip));
        try
        {
            Backend down = lb.Topology.BackendNamed(Down);
            lb.Forwarder.WaitUntil(() => lb.Forwarder.StdoutLines.Any(l => l.Contains($"backend {down.Address}", StringComparison.Ordinal) && l.Contains("is down", StringComparison.Ordinal)),
                $"{down} marked down", TimeSpan.FromSeconds(30));
            using var chain = new UpgradeProcesses(lb.Forwarder);
            using UdpSender client = UdpSender.Create(lb.Topology.Client, sourcePorts: 256);
            uint[] runs;
            using (var load = new SteadyLoad(client, vip, PacketsPerSecond, RunLength))
            {
                Thread.Sleep(1000);
                chain.UpgradeBySignal(TimeSpan.FromSeconds(90));
                Thread.Sleep(2000); // the successor's first batches, and its checks' first round
                runs = load.Stop();
            }
            Assert.True(Wait.Until(() => Received(receivers, runs) >= (long)runs.Length * RunLength * 99 / 100, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50)),
                $"{Received(receivers, runs)} of {runs.Length * RunLength} datagrams arrived\n{lb.Describe()}");

            string counts = string.Join(", ", receivers.Select(r => $"{r.Key}: {Received(r.Value, runs)}"));
            output.WriteLine($"{runs.Length * RunLength} datagrams over 256 flows across the upgrade (successor pid {chain.Current}, gap {chain.Gaps[0]?.ToString("0.00") ?? "-"} ms): {counts}");
            Assert.True(chain.Current != lb.Forwarder.Pid, "no upgrade happened");
            Assert.True(Lines(lb, "down before the upgrade").Count > 0, $"the successor did not start from the mark handed over\n{lb.Describe()}");
            Assert.True(Received(receivers[Down], runs) == 0, $"{Down}, down before the upgrade, received datagrams ({counts})\n{lb.Describe()}");
            Assert.All(receivers.Where(r => r.Key != Down), r => Assert.True(Received(r.Value, runs) > 0, $"{r.Key} received nothing ({counts})"));
            chain.StopCurrent(TimeSpan.FromSeconds(15));
        }
        finally
        {
            foreach (UdpReceiver receiver in receivers.Values)
                receiver.Dispose();
            foreach (TcpListener listener in checks)
                listener.Dispose();
        }
    }

    private static long Received(UdpReceiver receiver, uint[] runs) => runs.Sum(run => (long)receiver.CountOf(run)) + receiver.Duplicates + receiver.Foreign;

    private static long Received(Dictionary<string, UdpReceiver> receivers, uint[] runs) => receivers.Values.Sum(r => Received(r, runs));

    private static List<string> Lines(LoadBalancerUnderTest lb, string text) =>
        lb.Forwarder.StdoutLines.Where(l => l.Contains(text, StringComparison.Ordinal)).ToList();
}
