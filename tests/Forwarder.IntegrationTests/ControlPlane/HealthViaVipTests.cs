using System.Globalization;
using Forwarder.IntegrationTests.Decap;
using Forwarder.IntegrationTests.Infrastructure;
using Forwarder.IntegrationTests.LoadBalancing;
using Forwarder.Testing;
using Xunit.Abstractions;
using static Forwarder.IntegrationTests.LoadBalancing.BackendPoolTopology;

namespace Forwarder.IntegrationTests.ControlPlane;

/// <summary>
/// A backend that is alive but black-holes the VIP: its nginx still answers on its own address, but the VIP is
/// gone from its <c>lo</c>. The topology's VIP is checked <c>via: vip</c>; a second VIP over the same backends
/// is checked the usual way, straight to each backend's address. The first marks the backend down within the
/// usual detection time while the second still calls it up; once the VIP is back on <c>lo</c>, it is up again.
/// </summary>
public sealed class HealthViaVipTests(ITestOutputHelper output)
{
    /// <summary>fall × interval + timeout at the defaults is 300 ms; the rest is room for scheduling and the metrics read.</summary>
    private static readonly TimeSpan DetectionBound = TimeSpan.FromMilliseconds(1000);

    private const string PlainVip = "10.100.0.2";

    [RootFact]
    public void Ipip_a_backend_without_the_vip_on_lo_is_down_via_the_vip_and_up_via_its_address() => AssertBlackHoleDetected(LoadBalancingMode.Ipip);

    [RootFact]
    public void Gue_a_backend_without_the_vip_on_lo_is_down_via_the_vip_and_up_via_its_address() => AssertBlackHoleDetected(LoadBalancingMode.Gue);

    [RootFact]
    public void Dsr_l2_a_backend_without_the_vip_on_lo_is_down_via_the_vip_and_up_via_its_address() => AssertBlackHoleDetected(LoadBalancingMode.DsrL2);

    private void AssertBlackHoleDetected(LoadBalancingMode mode)
    {
        output.WriteLine($"mode {mode.ConfigName()}");
        string socket = Path.Combine(Path.GetTempPath(), $"fwt-api-{Environment.ProcessId}-{Guid.NewGuid():N}.sock");
        var plain = new VipBuilder(PlainVip, VipPort, "tcp").Mode("ipip").HealthCheck("type: tcp");
        using LoadBalancerUnderTest lb = LoadBalancerUnderTest.Start(mode, vip => vip.HealthCheck("type: http, path: /, via: vip"),
            runOptions: ["--api", $"unix:{socket}"], moreVips: WithBackends(plain));
        Assert.True(Wait.Until(() => File.Exists(socket), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50)), "the API socket did not appear");
        using var api = new UnixApiClient(socket);
        Backend victim = lb.Backends[1];
        string viaVip = $"{Vip}:{VipPort}", viaBackend = $"{PlainVip}:{VipPort}";

        // Probes through the VIP succeed while every backend serves it: all stay up for a second.
        Thread.Sleep(TimeSpan.FromSeconds(1));
        string metrics = Metrics(api);
        foreach (Backend backend in lb.Backends)
        {
            Assert.True(Up(metrics, viaVip, backend) == 1, $"{backend} is not up via the VIP while it serves it:\n{Lines(metrics)}\n{lb.Describe()}");
            Assert.True(Up(metrics, viaBackend, backend) == 1, $"{backend} is not up via its address:\n{Lines(metrics)}");
        }
        // The HTTP probes reached each backend's nginx at the VIP's address, from lb's own (no client has sent anything yet).
        foreach (Backend backend in lb.Backends)
        {
            IReadOnlyList<NginxRequest> requests = backend.Nginx.Requests();
            Assert.True(requests.Count > 0 && requests.All(r => r.Server.Address.Equals(Vip) && r.Client.Address.Equals(LbAddress)),
                $"{backend}'s nginx did not see the probes at {Vip} from {LbAddress}: {string.Join(", ", requests.Take(5))}");
        }

        victim.Namespace.Ip("addr", "del", $"{Vip}/32", "dev", "lo");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        bool down = Wait.Until(() => Up(Metrics(api), viaVip, victim) == 0, DetectionBound + TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(20));
        TimeSpan detection = clock.Elapsed;
        metrics = Metrics(api);
        output.WriteLine($"VIP removed from {victim}'s lo: down via the VIP after {detection.TotalMilliseconds:F0} ms\n{Lines(metrics)}");
        Assert.True(down, $"{victim} is still up via the VIP {detection.TotalMilliseconds:F0} ms after the VIP left its lo:\n{Lines(metrics)}\n{lb.Describe()}");
        Assert.True(detection <= DetectionBound, $"detected only after {detection.TotalMilliseconds:F0} ms");
        Assert.Equal(1, Up(metrics, viaBackend, victim));
        Assert.All(lb.Backends.Where(b => b != victim), b => Assert.Equal(1, Up(metrics, viaVip, b)));

        // Clients of the VIP now reach only the backends that serve it.
        IReadOnlyList<CurlOutcome> outcomes = CurlRequests.Get(lb.Topology.Client, VipUrl, Enumerable.Range(31000, 20).ToArray());
        Assert.All(outcomes, outcome => Assert.True(outcome.Succeeded && outcome.Body.Trim() != victim.Name, $"{outcome}\n{lb.Describe()}"));

        victim.Namespace.Ip("addr", "add", $"{Vip}/32", "dev", "lo");
        clock.Restart();
        bool up = Wait.Until(() => Up(Metrics(api), viaVip, victim) == 1, DetectionBound + TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(20));
        output.WriteLine($"VIP restored: up via the VIP after {clock.Elapsed.TotalMilliseconds:F0} ms\n{Lines(Metrics(api))}");
        Assert.True(up, $"{victim} did not come back via the VIP:\n{Lines(Metrics(api))}\n{lb.Describe()}");
        string sent = string.Join('\n', Metrics(api).Split('\n').Where(l => l.StartsWith("forwarder_health_probe_packets_total{", StringComparison.Ordinal)));
        output.WriteLine(sent);
        Assert.Matches($"forwarder_health_probe_packets_total{{verdict=\"{mode.ConfigName().Replace('-', '_')}\"}} [1-9]", sent);
        Assert.Contains("forwarder_health_probe_packets_total{verdict=\"no_target\"} 0", sent);

        Assert.NotNull(TcFilterOn(lb.Topology.LoadBalancer));
        lb.Stop();
        Assert.True(TcFilterOn(lb.Topology.LoadBalancer) is null, $"the probe filter outlived the forwarder:\n{TcFilterOn(lb.Topology.LoadBalancer)}");
    }

    /// <summary>
    /// SIGKILL leaves the probe filter behind; the next instance replaces it (one filter, working) and detects a
    /// backend whose decapsulation is detached: its nginx still answers on its address, but the VIP's packets
    /// reach it encapsulated and die there.
    /// </summary>
    [RootFact]
    public void A_killed_instance_filter_is_replaced_and_a_backend_without_decap_is_down_via_the_vip()
    {
        string socket = Path.Combine(Path.GetTempPath(), $"fwt-api-{Environment.ProcessId}-{Guid.NewGuid():N}.sock");
        var plain = new VipBuilder(PlainVip, VipPort, "tcp").Mode("ipip").HealthCheck("type: tcp");
        using LoadBalancerUnderTest lb = LoadBalancerUnderTest.Start(LoadBalancingMode.Ipip, vip => vip.HealthCheck("type: tcp, via: vip"),
            moreVips: WithBackends(plain));
        lb.Forwarder.Signal(LibC.SIGKILL);
        lb.Forwarder.WaitForExit(ForwarderProcess.ExitTimeout);
        string? leftBehind = TcFilterOn(lb.Topology.LoadBalancer);
        output.WriteLine($"after SIGKILL:\n{leftBehind}");
        Assert.True(leftBehind?.Contains("handle 0x4c42", StringComparison.Ordinal) == true, $"expected the killed instance's filter to stay:\n{leftBehind}");

        using ForwarderProcess successor = ForwarderProcess.Start(lb.Topology.LoadBalancer, ["run", "--config", lb.ConfigPath, "--api", $"unix:{socket}"]);
        successor.WaitForReady();
        Assert.True(Wait.Until(() => File.Exists(socket), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50)), "the API socket did not appear");
        using var api = new UnixApiClient(socket);
        string filters = TcFilterOn(lb.Topology.LoadBalancer) ?? "";
        output.WriteLine($"after the new start:\n{filters}");
        Assert.Single(filters.Split('\n'), line => line.Contains("handle 0x4c42", StringComparison.Ordinal));

        Backend victim = lb.Backends[2];
        string viaVip = $"{Vip}:{VipPort}", viaBackend = $"{PlainVip}:{VipPort}";
        Thread.Sleep(TimeSpan.FromSeconds(1));
        Assert.All(lb.Backends, b => Assert.Equal(1, Up(Metrics(api), viaVip, b)));

        DecapCli.Check(victim.Namespace, "detach", "--iface", BackendInterface);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        bool down = Wait.Until(() => Up(Metrics(api), viaVip, victim) == 0, DetectionBound + TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(20));
        string metrics = Metrics(api);
        output.WriteLine($"decap detached from {victim}: down via the VIP after {clock.Elapsed.TotalMilliseconds:F0} ms\n{Lines(metrics)}");
        Assert.True(down && clock.Elapsed <= DetectionBound, $"{victim} still up via the VIP after {clock.Elapsed.TotalMilliseconds:F0} ms:\n{Lines(metrics)}\n{successor.Describe()}");
        Assert.Equal(1, Up(metrics, viaBackend, victim));

        DecapCli.Check(victim.Namespace, "attach", "--iface", BackendInterface);
        Assert.True(Wait.Until(() => Up(Metrics(api), viaVip, victim) == 1, DetectionBound + TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(20)),
            $"{victim} did not come back via the VIP once decap was attached again:\n{Lines(Metrics(api))}");

        Assert.Equal(0, successor.Stop());
        Assert.True(TcFilterOn(lb.Topology.LoadBalancer) is null, $"the probe filter outlived the forwarder:\n{TcFilterOn(lb.Topology.LoadBalancer)}");
    }

    /// <summary>
    /// A reload that turns <c>via: vip</c> on attaches the filter then, and its probes take the black-holing backend
    /// down; one that turns it off again removes every probe entry (the filter stays until shutdown).
    /// </summary>
    [RootFact]
    public void A_reload_turns_via_vip_on_and_off()
    {
        string socket = Path.Combine(Path.GetTempPath(), $"fwt-api-{Environment.ProcessId}-{Guid.NewGuid():N}.sock");
        using LoadBalancerUnderTest lb = LoadBalancerUnderTest.Start(LoadBalancingMode.Ipip, vip => vip.HealthCheck("type: tcp"), runOptions: ["--api", $"unix:{socket}"]);
        Assert.True(Wait.Until(() => File.Exists(socket), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50)), "the API socket did not appear");
        using var api = new UnixApiClient(socket);
        Assert.Null(TcFilterOn(lb.Topology.LoadBalancer));
        Backend victim = lb.Backends[0];
        string viaVip = $"{Vip}:{VipPort}";
        victim.Namespace.Ip("addr", "del", $"{Vip}/32", "dev", "lo");
        Thread.Sleep(TimeSpan.FromSeconds(1));
        Assert.Equal(1, Up(Metrics(api), viaVip, victim));

        string original = File.ReadAllText(lb.ConfigPath);
        Assert.Contains("healthcheck: { type: tcp }", original);
        File.WriteAllText(lb.ConfigPath, original.Replace("healthcheck: { type: tcp }", "healthcheck: { type: tcp, via: vip }", StringComparison.Ordinal));
        lb.Forwarder.Signal(LibC.SIGHUP);
        Assert.True(Wait.Until(() => Up(Metrics(api), viaVip, victim) == 0, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(20)),
            $"{victim} stayed up after the reload to via: vip:\n{Lines(Metrics(api))}\n{lb.Describe()}");
        string? filter = TcFilterOn(lb.Topology.LoadBalancer);
        output.WriteLine($"after the reload to via: vip:\n{filter}\n{Lines(Metrics(api))}\nentries: {ProbeEntries(lb.Topology.LoadBalancer)}");
        Assert.Equal(3, ProbeEntries(lb.Topology.LoadBalancer));

        File.WriteAllText(lb.ConfigPath, original);
        lb.Forwarder.Signal(LibC.SIGHUP);
        Assert.True(Wait.Until(() => Up(Metrics(api), viaVip, victim) == 1, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(20)),
            $"{victim} stayed down after the reload back to via: backend:\n{Lines(Metrics(api))}");
        Assert.True(Wait.Until(() => ProbeEntries(lb.Topology.LoadBalancer) == 0, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(50)),
            $"probe entries left after via: vip was turned off: {ProbeEntries(lb.Topology.LoadBalancer)}");
        victim.Namespace.Ip("addr", "add", $"{Vip}/32", "dev", "lo");
        lb.Stop();
        Assert.Null(TcFilterOn(lb.Topology.LoadBalancer));
    }

    /// <summary>
    /// A packet with a probe mark that has no entry (another process using the range, a route just removed) is
    /// dropped and counted: it never reaches the VIP through the forwarder, where it would pass for healthy.
    /// The same connection with an assigned mark reaches the VIP on that mark's backend.
    /// </summary>
    [RootFact]
    public void A_probe_mark_without_an_entry_is_dropped_and_counted_never_forwarded()
    {
        using LoadBalancerUnderTest lb = LoadBalancerUnderTest.Start(LoadBalancingMode.Ipip, vip => vip.HealthCheck("type: tcp, via: vip"));
        Assert.Equal(3, ProbeEntries(lb.Topology.LoadBalancer));
        const uint UnassignedMark = 0x4C420FFF;
        long droppedBefore = ProbeCounter(lb.Topology.LoadBalancer, NoTargetSlot);

        bool markedConnected = lb.Topology.LoadBalancer.RunInside(() => Connects(UnassignedMark));
        bool assignedConnected = lb.Topology.LoadBalancer.RunInside(() => Connects(0x4C420001)); // the three routes hold marks 1 to 3
        long dropped = ProbeCounter(lb.Topology.LoadBalancer, NoTargetSlot) - droppedBefore;
        output.WriteLine($"marked 0x{UnassignedMark:x}: connected {markedConnected}, dropped {dropped}; assigned 0x4c420001: connected {assignedConnected}");
        Assert.False(markedConnected, "a connection with an unassigned probe mark reached the VIP");
        Assert.True(dropped >= 1, $"no drop counted under no_target ({dropped})");
        Assert.True(assignedConnected, $"a connection with an assigned probe mark failed\n{lb.Describe()}");
    }

    /// <summary>CNT_NO_TARGET in bpf/healthcheck.c.</summary>
    private const int NoTargetSlot = 3;

    /// <summary>Whether a connection to the VIP with socket mark <paramref name="mark"/> opens within a second.</summary>
    private static bool Connects(uint mark)
    {
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        socket.SetRawSocketOption(1, 36, BitConverter.GetBytes(mark)); // SOL_SOCKET, SO_MARK
        try
        {
            return socket.ConnectAsync(VipEndpoint).Wait(TimeSpan.FromSeconds(1));
        }
        catch (AggregateException)
        {
            return false;
        }
    }

    /// <summary>A slot of the probe filter's <c>probe_counters</c>, summed over CPUs.</summary>
    private static long ProbeCounter(NetworkNamespace lb, int slot)
    {
        using var map = System.Text.Json.JsonDocument.Parse(HostCommand.Check("bpftool", ["map", "dump", "id", $"{ProbeMapId(lb, "probe_counters")}", "-j"]).Stdout);
        // bpftool -j prints keys and values as little-endian hex bytes, and the same decoded under "formatted" when the map has BTF.
        return map.RootElement.EnumerateArray()
            .Select(e => e.TryGetProperty("formatted", out System.Text.Json.JsonElement formatted) ? formatted : e)
            .Where(e => Number(e.GetProperty("key")) == slot)
            .SelectMany(e => e.GetProperty("values").EnumerateArray()).Sum(v => Number(v.GetProperty("value")));
    }

    private static long Number(System.Text.Json.JsonElement element) =>
        element.ValueKind == System.Text.Json.JsonValueKind.Number
            ? element.GetInt64()
            : element.EnumerateArray().Select((b, i) => Convert.ToInt64(b.GetString(), 16) << (8 * i)).Sum();

    /// <summary>The entries of the probe filter's <c>probe_targets</c> map, read with bpftool through the attached program's id.</summary>
    private static int ProbeEntries(NetworkNamespace lb)
    {
        using var entries = System.Text.Json.JsonDocument.Parse(HostCommand.Check("bpftool", ["map", "dump", "id", $"{ProbeMapId(lb, "probe_targets")}", "-j"]).Stdout);
        return entries.RootElement.GetArrayLength();
    }

    /// <summary>The id of the probe filter's map <paramref name="name"/>, found through the attached program's id.</summary>
    private static string ProbeMapId(NetworkNamespace lb, string name)
    {
        string filter = TcFilterOn(lb) ?? throw new InvalidOperationException("no probe filter");
        string id = System.Text.RegularExpressions.Regex.Match(filter, @" id (\d+) ").Groups[1].Value;
        using var program = System.Text.Json.JsonDocument.Parse(HostCommand.Check("bpftool", ["prog", "show", "id", id, "-j"]).Stdout);
        foreach (System.Text.Json.JsonElement mapId in program.RootElement.GetProperty("map_ids").EnumerateArray())
        {
            using var map = System.Text.Json.JsonDocument.Parse(HostCommand.Check("bpftool", ["map", "show", "id", $"{mapId}", "-j"]).Stdout);
            if (map.RootElement.GetProperty("name").GetString() == name)
                return $"{mapId}";
        }
        throw new InvalidOperationException($"program {id} has no map {name}");
    }

    /// <summary>The topology's backends under <paramref name="vip"/>, as YAML for <c>moreVips</c>.</summary>
    private static string WithBackends(VipBuilder vip)
    {
        foreach (System.Net.IPAddress address in BackendAddresses)
            vip.Backend($"{address}");
        return vip.ToYaml();
    }

    /// <summary>The tc egress filters on lb's interface, or null when there are none.</summary>
    internal static string? TcFilterOn(NetworkNamespace lb)
    {
        CommandResult result = lb.Exec("tc", "filter", "show", "dev", LbInterface, "egress");
        return string.IsNullOrWhiteSpace(result.Stdout) ? null : result.Stdout;
    }

    private static string Metrics(UnixApiClient api)
    {
        (int status, string body) = api.Send(HttpMethod.Get, "/metrics");
        Assert.Equal(200, status);
        return body;
    }

    /// <summary>forwarder_backend_up of <paramref name="backend"/> in the VIP <paramref name="vip"/> (address:port); -1 when absent.</summary>
    private static double Up(string metrics, string vip, Backend backend) =>
        metrics.Split('\n')
            .Where(l => l.StartsWith("forwarder_backend_up{", StringComparison.Ordinal) && l.Contains($"\"{vip}", StringComparison.Ordinal)
                && l.Contains($"\"{backend.Address}\"", StringComparison.Ordinal))
            .Select(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture))
            .DefaultIfEmpty(-1).First();

    private static string Lines(string metrics) =>
        string.Join('\n', metrics.Split('\n').Where(l => l.StartsWith("forwarder_backend_up{", StringComparison.Ordinal)));
}
