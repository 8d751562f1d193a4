using System.Diagnostics;
using System.Text.Json;
using Forwarder.IntegrationTests.Infrastructure;
using Xunit.Abstractions;
using static Forwarder.IntegrationTests.Infrastructure.LoadBalancerTopology;

namespace Forwarder.IntegrationTests.Liveness;

/// <summary>
/// The liveness device (<c>run --liveness-device</c>): a TUN device that lives exactly as long as the process, is up
/// while it serves, goes down first on SIGTERM while forwarding goes on until the VIP traffic is quiet, and is never
/// shared with another forwarder. Read with <c>ip link</c> in the forwarder's namespace.
/// </summary>
public sealed class LivenessDeviceTests(ITestOutputHelper output)
{
    private const string Device = "fwdlive0";
    private const string AnnouncedRoute = "10.199.0.1";
    private static readonly TimeSpan ArrivalTimeout = TimeSpan.FromSeconds(5);

    [RootFact]
    public void The_device_is_up_while_the_forwarder_serves_and_gone_within_a_second_of_kill_9()
    {
        using LoadBalancerTopology topology = Create();
        using UdpReceiver sink = UdpReceiver.Start(topology.Sink, VipEndpoint);
        using UdpSender client = UdpSender.Create(topology.Client, sourcePorts: 8);
        using ForwarderProcess forwarder = ForwarderProcess.Start(topology.LoadBalancer, Options(topology));
        forwarder.WaitForReady();
        forwarder.WaitUntil(() => IsUp(topology.LoadBalancer) == true, $"{Device} up");
        output.WriteLine(Link(topology.LoadBalancer).Stdout);
        SendAndExpectAtSink(client, sink, forwarder, 100);

        forwarder.Signal(LibC.SIGKILL);
        var sinceKill = Stopwatch.StartNew();
        bool gone = Wait.Until(() => IsUp(topology.LoadBalancer) is null, TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(10));
        output.WriteLine($"{Device} gone {sinceKill.ElapsedMilliseconds} ms after SIGKILL");
        Assert.True(gone, $"{Device} still exists 1 s after SIGKILL:\n{Link(topology.LoadBalancer)}");
        forwarder.WaitForExit(ForwarderProcess.ExitTimeout);
    }

    [RootFact]
    public void Sigterm_takes_the_device_down_first_forwards_while_draining_and_exits_once_quiet()
    {
        using LoadBalancerTopology topology = Create();
        using UdpReceiver sink = UdpReceiver.Start(topology.Sink, VipEndpoint);
        using UdpSender client = UdpSender.Create(topology.Client, sourcePorts: 8);
        using ForwarderProcess forwarder = ForwarderProcess.Start(topology.LoadBalancer, Options(topology, "--drain-quiet", "1.5", "--drain-max", "20"));
        forwarder.WaitForReady();
        forwarder.WaitUntil(() => IsUp(topology.LoadBalancer) == true, $"{Device} up");
        // What BIRD's static route stands for: a kernel route through the device, gone once it is down.
        topology.LoadBalancer.Ip("route", "add", AnnouncedRoute, "dev", Device);

        forwarder.Signal(LibC.SIGTERM);
        forwarder.WaitUntil(() => IsUp(topology.LoadBalancer) == false, $"{Device} down after SIGTERM", TimeSpan.FromSeconds(2));
        Assert.DoesNotContain(AnnouncedRoute, topology.LoadBalancer.Ip("route", "show", "dev", Device).Stdout);
        forwarder.Signal(LibC.SIGTERM); // a second one while draining changes nothing
        // Draining: the device is down, and VIP traffic still arriving is forwarded, several times over the quiet time.
        var lastSent = Stopwatch.StartNew();
        for (int round = 0; round < 4; round++)
        {
            SendAndExpectAtSink(client, sink, forwarder, 50);
            lastSent.Restart();
            Assert.False(forwarder.HasExited, $"the forwarder stopped while VIP traffic still arrived.\n{forwarder.Describe()}");
            Thread.Sleep(500);
        }
        Assert.Equal(false, IsUp(topology.LoadBalancer));

        int exitCode = forwarder.WaitForExit(ForwarderProcess.ExitTimeout);
        TimeSpan quietFor = lastSent.Elapsed;
        Assert.True(exitCode == 0, $"exit {exitCode}.\n{forwarder.Describe()}");
        Assert.True(quietFor >= TimeSpan.FromSeconds(1.4), $"exited {quietFor.TotalSeconds:F2} s after the last VIP datagram, before the quiet time.\n{forwarder.Describe()}");
        output.WriteLine(forwarder.Describe());
        JsonElement drain = Final(forwarder).GetProperty("drain");
        Assert.Equal("quiet", drain.GetProperty("ended").GetString());
        Assert.Equal("SIGTERM", drain.GetProperty("trigger").GetString());
        Assert.True(drain.GetProperty("seconds").GetDouble() >= 2.5, $"drain took {drain}.\n{forwarder.Describe()}");
        Assert.Null(IsUp(topology.LoadBalancer)); // closed with the process: deleted
    }

    [RootFact]
    public void With_no_drain_sigterm_stops_at_once()
    {
        // --keep-capabilities: the device is made by the serving process itself, not handed over.
        using LoadBalancerTopology topology = Create();
        using ForwarderProcess forwarder = ForwarderProcess.Start(topology.LoadBalancer, Options(topology, "--no-drain", "--drain-quiet", "30", "--keep-capabilities"));
        forwarder.WaitForReady();
        forwarder.WaitUntil(() => IsUp(topology.LoadBalancer) == true, $"{Device} up");

        var took = Stopwatch.StartNew();
        Assert.Equal(0, forwarder.Stop());

        Assert.True(took.Elapsed < TimeSpan.FromSeconds(10), $"SIGTERM under --no-drain took {took.Elapsed.TotalSeconds:F1} s.\n{forwarder.Describe()}");
        Assert.False(Final(forwarder).TryGetProperty("drain", out _), "--no-drain drained");
        Assert.Null(IsUp(topology.LoadBalancer));
    }

    [RootFact]
    public void A_second_forwarder_with_the_same_device_name_is_refused_and_the_first_keeps_its_device()
    {
        using LoadBalancerTopology topology = Create();
        using ForwarderProcess first = ForwarderProcess.Start(topology.LoadBalancer, Options(topology));
        first.WaitForReady();
        first.WaitUntil(() => IsUp(topology.LoadBalancer) == true, $"{Device} up");

        // Another interface in the same namespace, so that the interface lock does not refuse the second one first.
        topology.LoadBalancer.Ip("link", "add", "lv0", "type", "veth", "peer", "name", "lv1");
        topology.LoadBalancer.Ip("link", "set", "lv0", "up");
        topology.LoadBalancer.Ip("link", "set", "lv1", "up");
        var secondOptions = new ForwarderOptions("lv0", "02:00:00:00:00:01", [$"{Vip}:{VipPort}/udp"])
        {
            Queues = "0",
            Cores = "0",
            XdpMode = "skb",
            Extra = ["--liveness-device", Device],
        };
        using (ForwarderProcess second = ForwarderProcess.Start(topology.LoadBalancer, secondOptions))
        {
            int exitCode = second.WaitForExit(ForwarderProcess.ReadyTimeout);
            Assert.True(exitCode == 1, $"the second forwarder exited with {exitCode}, not 1.\n{second.Describe()}");
            Assert.Contains($"forwarder: liveness device {Device} exists already (another forwarder running with --liveness-device {Device}, or another device of that name): " +
                "stop that forwarder, or give this one another --liveness-device name", second.Stderr);
            Assert.DoesNotContain(second.StdoutLines, line => line.StartsWith(ForwarderProcess.ReadyMarker, StringComparison.Ordinal));
        }
        Assert.Equal(true, IsUp(topology.LoadBalancer));
        Assert.False(first.HasExited, $"the first forwarder stopped.\n{first.Describe()}");
        Assert.Equal(0, first.Stop(LibC.SIGINT)); // SIGINT: at once, no drain
        Assert.False(Final(first).TryGetProperty("drain", out _), "SIGINT drained");
    }

    [RootFact]
    public void A_stuck_worker_withdraws_the_node_until_it_progresses_again()
    {
        using LoadBalancerTopology topology = Create();
        using UdpReceiver sink = UdpReceiver.Start(topology.Sink, VipEndpoint);
        using UdpSender client = UdpSender.Create(topology.Client, sourcePorts: 16);
        using ForwarderProcess forwarder = ForwarderProcess.Start(topology.LoadBalancer, Options(topology) with { StatsIntervalSeconds = 0 });
        forwarder.WaitForReady();
        forwarder.WaitUntil(() => IsUp(topology.LoadBalancer) == true, $"{Device} up");
        int worker = ThreadFreeze.ThreadNamed(forwarder.Pid, $"xdp {LbInterface} q0")
            ?? throw new InvalidOperationException($"no worker thread for queue 0 in {forwarder.Pid}.\n{forwarder.Describe()}");

        uint run = DatagramPayload.NewRunId();
        using (ThreadFreeze.Freeze(worker))
        {
            // Frames pile up in the stopped worker's RX ring; the other worker and the watchdog run on.
            client.Send(VipEndpoint, run, count: 400, packetsPerSecond: 1_000);
            forwarder.WaitUntil(() => IsUp(topology.LoadBalancer) == false, $"{Device} down while worker q0 is stopped", TimeSpan.FromSeconds(3));
            Assert.False(forwarder.HasExited);
        }
        forwarder.WaitUntil(() => IsUp(topology.LoadBalancer) == true, $"{Device} up again once worker q0 runs", TimeSpan.FromSeconds(5));
        Assert.True(sink.WaitFor(run, 400, ArrivalTimeout), $"sink got {sink.CountOf(run)} of 400 VIP datagrams.\n{forwarder.Describe()}");

        Assert.Equal(0, forwarder.Stop(LibC.SIGINT));
        output.WriteLine(forwarder.Describe());
        string log = string.Join('\n', forwarder.StdoutLines);
        Assert.Contains("watchdog: the worker of queue 0 made no progress for 200 ms with frames waiting in its RX ring; withdrawing (stall 1)", log);
        Assert.Contains("watchdog: no worker stalled for 1000 ms", log);
        Assert.DoesNotContain("(stall 2)", log);
    }

    private static ForwarderOptions Options(LoadBalancerTopology topology, params string[] more) =>
        topology.ForwarderOptions() with { Extra = ["--liveness-device", Device, .. more] };

    /// <summary>True when the device is administratively up, false when down, null when it does not exist.</summary>
    private static bool? IsUp(NetworkNamespace ns)
    {
        CommandResult link = Link(ns);
        if (!link.Succeeded)
            return null;
        int open = link.Stdout.IndexOf('<'), close = link.Stdout.IndexOf('>');
        return link.Stdout[(open + 1)..close].Split(',').Contains("UP");
    }

    private static CommandResult Link(NetworkNamespace ns) => ns.Exec("ip", "link", "show", "dev", Device);

    private static void SendAndExpectAtSink(UdpSender client, UdpReceiver sink, ForwarderProcess forwarder, int count)
    {
        uint run = DatagramPayload.NewRunId();
        client.Send(VipEndpoint, run, count);
        Assert.True(sink.WaitFor(run, count, ArrivalTimeout), $"sink got {sink.CountOf(run)} of {count} VIP datagrams.\n{forwarder.Describe()}");
    }

    private static JsonElement Final(ForwarderProcess forwarder)
    {
        string line = forwarder.StdoutLines.Last(l => l.StartsWith(ForwarderReport.Marker, StringComparison.Ordinal));
        return JsonDocument.Parse(line[ForwarderReport.Marker.Length..]).RootElement.Clone();
    }
}
