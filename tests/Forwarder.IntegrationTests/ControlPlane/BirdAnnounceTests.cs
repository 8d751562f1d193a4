using System.Runtime.Versioning;
using System.Text.Json;
using Forwarder.Announce;
using Forwarder.Api;
using Forwarder.IntegrationTests.Infrastructure;
using Forwarder.IntegrationTests.LoadBalancing;
using Xunit.Abstractions;

namespace Forwarder.IntegrationTests.ControlPlane;

/// <summary>
/// A real BIRD 2 in lb's namespace whose configuration includes the forwarder's file: the VIP is in BIRD's routes
/// only after the hold-down and while it has a healthy backend, and leaves them when the forwarder stops. The routes go
/// via the liveness device the forwarder makes from <c>announce.liveness_device</c>.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class BirdAnnounceTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private const string Device = "fwd0";

    private readonly string _directory = Directory.CreateTempSubdirectory("forwarder-bird-").FullName;
    private BackendPoolTopology? _topology;
    private ForwarderConfigFile? _config;
    private NamespaceProcess? _bird;
    private ForwarderProcess? _forwarder;

    private string Socket => Path.Combine(_directory, "bird.ctl");

    private string ApiSocket => Path.Combine(_directory, "api.sock");

    private string IncludeFile => Path.Combine(_directory, "run", "bird-vips.conf");

    private static readonly string VipRoute = $"{BackendPoolTopology.Vip}/32";

    [RootFact]
    public void The_vip_is_announced_after_the_hold_down_only_while_it_has_a_healthy_backend()
    {
        _topology = BackendPoolTopology.Create(LoadBalancingMode.Ipip);
        NetworkNamespace lb = _topology.LoadBalancer;
        StartBird(lb);

        StartForwarder(lb, holdDown: "3s");

        Assert.DoesNotContain(VipRoute, Routes(lb), StringComparison.Ordinal);
        Assert.True(Wait.Until(() => Routes(lb).Contains(VipRoute, StringComparison.Ordinal), Bound, TimeSpan.FromMilliseconds(100)),
            $"BIRD did not get {VipRoute} within {Bound.TotalSeconds} s of the hold-down\n{Describe(lb)}");
        output.WriteLine($"announced:\n{Routes(lb)}");
        CheckStatusAndMetrics();

        foreach (Backend backend in _topology.Backends)
            backend.Nginx.Dispose();
        Assert.True(Wait.Until(() => !Routes(lb).Contains(VipRoute, StringComparison.Ordinal), Bound, TimeSpan.FromMilliseconds(100)),
            $"BIRD kept {VipRoute} with every backend down\n{Describe(lb)}");
        Assert.DoesNotContain("route", File.ReadAllText(IncludeFile), StringComparison.Ordinal);

        Backend first = _topology.Backends[0];
        using NginxServer restarted = NginxServer.Start(first.Namespace, first.Name);
        Assert.True(Wait.Until(() => Routes(lb).Contains(VipRoute, StringComparison.Ordinal), Bound, TimeSpan.FromMilliseconds(100)),
            $"BIRD did not get {VipRoute} back once {first} answered again\n{Describe(lb)}");

        Assert.Equal(0, _forwarder!.Stop());
        Assert.DoesNotContain(VipRoute, Routes(lb), StringComparison.Ordinal);
        Assert.DoesNotContain("route", File.ReadAllText(IncludeFile), StringComparison.Ordinal);
    }

    [RootFact]
    public void A_bird_started_after_the_forwarder_gets_the_file_and_the_vip()
    {
        _topology = BackendPoolTopology.Create(LoadBalancingMode.Ipip);
        NetworkNamespace lb = _topology.LoadBalancer;
        StartForwarder(lb, holdDown: "0s");
        Assert.True(Wait.Until(() => File.Exists(IncludeFile) && File.ReadAllText(IncludeFile).Contains(VipRoute, StringComparison.Ordinal), Bound,
            TimeSpan.FromMilliseconds(100)), $"the forwarder wrote no route to {IncludeFile} without BIRD\n{Describe(lb)}");

        StartBird(lb, writeIncludeFile: false);
        // The forwarder retries with back-off (at most 10 s apart) and configures the BIRD that appeared.
        Assert.True(Wait.Until(() => Routes(lb).Contains(VipRoute, StringComparison.Ordinal), Bound + TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100)),
            $"BIRD started after the forwarder did not get {VipRoute}\n{Describe(lb)}");
        Assert.True(Wait.Until(() => Status().Announce!.BirdConfirmed, Bound, TimeSpan.FromMilliseconds(100)), $"BIRD's taking the file was not seen\n{Describe(lb)}");
        Assert.True(Status().Announce!.Errors["unreachable"] >= 1, "the attempts without BIRD were not counted");
    }

    [RootFact]
    public void A_vip_that_is_an_address_of_the_node_refuses_the_start_naming_it()
    {
        _topology = BackendPoolTopology.Create(LoadBalancingMode.Ipip);
        NetworkNamespace lb = _topology.LoadBalancer;
        lb.Ip("addr", "add", $"{BackendPoolTopology.Vip}/32", "dev", "lo");
        StartForwarder(lb, holdDown: "0s", waitForReady: false);
        int exitCode = _forwarder!.WaitForExit(ForwarderProcess.ReadyTimeout);
        Assert.True(exitCode != 0, $"the forwarder started with its VIP on lo\n{_forwarder.Describe()}");
        Assert.Contains($"VIP {BackendPoolTopology.Vip}:{BackendPoolTopology.VipPort}/tcp is an address of this node (on lo)", _forwarder.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(IncludeFile), "a refused start wrote the include file");
    }

    private void StartForwarder(NetworkNamespace lb, string holdDown, bool waitForReady = true)
    {
        _config = ForwarderConfigFile.Write(_topology!, vip => vip.HealthCheck("type: tcp, interval_ms: 100, timeout_ms: 100, fall: 1, rise: 1"), moreSettings: $"""
            announce:
              liveness_device: {Device}
              bird_socket: {Socket}
              include_file: {IncludeFile}
              hold_down: {holdDown}

            """);
        _forwarder = ForwarderProcess.Start(lb, ["run", "--config", _config.Path, "--api", $"unix:{ApiSocket}"]);
        if (!waitForReady)
            return;
        _forwarder.WaitForReady();
        // The API starts just after READY.
        Assert.True(Wait.Until(() => File.Exists(ApiSocket), Bound, TimeSpan.FromMilliseconds(50)), $"the API did not start\n{_forwarder.Describe()}");
    }

    private StatusReply Status()
    {
        using var api = new UnixApiClient(ApiSocket);
        (int status, string body) = api.Send(HttpMethod.Get, "/status");
        Assert.Equal(200, status);
        return JsonSerializer.Deserialize<StatusReply>(body, ApiJson.Options)!;
    }

    /// <summary>What the API shows while the VIP is announced: the status line and the VIP's metric.</summary>
    private void CheckStatusAndMetrics()
    {
        using var api = new UnixApiClient(ApiSocket);
        string line = Forwarder.Cli.StatusText.AnnounceLine(Status().Announce!);
        output.WriteLine($"forwarder status: {line}");
        Assert.StartsWith("announce announcing: 1 of 1 VIP(s) announced, BIRD took", line, StringComparison.Ordinal);

        (int metricsStatus, string metrics) = api.Send(HttpMethod.Get, "/metrics");
        Assert.Equal(200, metricsStatus);
        string[] announceLines = metrics.Split('\n').Where(l => l.StartsWith("forwarder_vip_announced", StringComparison.Ordinal)
            || l.StartsWith("forwarder_announce_state", StringComparison.Ordinal) || l.StartsWith("forwarder_bird_protocol_up", StringComparison.Ordinal)).ToArray();
        output.WriteLine(string.Join('\n', announceLines));
        Assert.Contains($"forwarder_vip_announced{{vip=\"{BackendPoolTopology.Vip}:{BackendPoolTopology.VipPort}/tcp\"}} 1", announceLines);
        Assert.Contains("forwarder_announce_state 1", announceLines);
    }

    /// <param name="writeIncludeFile">Write an include file without routes first (BIRD refuses a configuration whose include is missing).</param>
    private void StartBird(NetworkNamespace lb, bool writeIncludeFile = true)
    {
        if (writeIncludeFile)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(IncludeFile)!);
            File.WriteAllText(IncludeFile, BirdIncludeFile.Render([], Device));
        }
        string config = Path.Combine(_directory, "bird.conf");
        File.WriteAllText(config, $$"""
            router id {{BackendPoolTopology.LbAddress}};
            protocol device { }
            include "{{IncludeFile}}";
            """);
        _bird = NamespaceProcess.Start(lb, "bird", "-f", "-c", config, "-s", Socket, "-P", Path.Combine(_directory, "bird.pid"));
        Assert.True(Wait.Until(() => File.Exists(Socket) && lb.Exec("birdc", "-s", Socket, "show", "status").Succeeded, Bound, TimeSpan.FromMilliseconds(100)),
            $"BIRD did not start\n{_bird.Describe()}");
    }

    /// <summary>BIRD's routing table as <c>birdc show route</c> prints it.</summary>
    private string Routes(NetworkNamespace lb)
    {
        CommandResult shown = lb.Exec("birdc", "-s", Socket, "show", "route");
        return shown.Succeeded ? shown.Stdout : $"(birdc failed: {shown})";
    }

    private string Describe(NetworkNamespace lb) =>
        $"include file:\n{(File.Exists(IncludeFile) ? File.ReadAllText(IncludeFile) : "(none)")}\nbirdc show protocols:\n" +
        $"{lb.Exec("birdc", "-s", Socket, "show", "protocols").Stdout}\n{_bird?.Describe()}\n{_forwarder?.Describe()}";

    public void Dispose()
    {
        _forwarder?.Dispose();
        _bird?.Dispose();
        _config?.Dispose();
        _topology?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
