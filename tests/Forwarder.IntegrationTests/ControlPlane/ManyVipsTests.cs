using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Forwarder.IntegrationTests.Infrastructure;
using Forwarder.IntegrationTests.LoadBalancing;
using Xunit.Abstractions;
using static Forwarder.IntegrationTests.LoadBalancing.BackendPoolTopology;

namespace Forwarder.IntegrationTests.ControlPlane;

/// <summary>
/// A forwarder with 3,000 VIPs: the topology's VIP over its three real backends (health-checked) and 2,999
/// more with four backends each — all the same four (one shared table, ring 65,537) or each its own
/// (2,999 tables, ring 16,381 to keep memory moderate). It starts to READY, takes an API weight change
/// and, when a real backend's server stops, takes it out of its VIP's table — rebuilding only the tables
/// each change touches, as the tables-built metric shows. The time bounds are generous (a loaded machine);
/// a forwarder that rebuilt every table per change missed them by far. Figures are logged; performance
/// claims come from the benchmark (SnapshotChangeBenchmarks).
/// </summary>
public sealed class ManyVipsTests(ITestOutputHelper output)
{
    private const int MoreVips = 2_999;
    private static readonly TimeSpan ReadyBound = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ChangeBound = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Phase = TimeSpan.FromSeconds(2);

    private static readonly Action<VipBuilder> TcpHealthCheck = vip => vip.HealthCheck("type: tcp");

    [RootFact]
    public void Three_thousand_vips_sharing_their_backends_start_and_change_rebuilding_only_what_changed() =>
        Run(distinctBackends: false, ringSize: 65_537);

    [RootFact]
    public void Three_thousand_vips_with_their_own_backends_start_and_change_rebuilding_only_what_changed() =>
        Run(distinctBackends: true, ringSize: 16_381);

    private void Run(bool distinctBackends, int ringSize)
    {
        string socket = Path.Combine(Path.GetTempPath(), $"fwt-api-{Environment.ProcessId}-{Guid.NewGuid():N}.sock");
        using BackendPoolTopology topology = Create(LoadBalancingMode.Ipip);
        using ForwarderConfigFile config = ForwarderConfigFile.Write(topology, TcpHealthCheck, moreVips: MoreVipsYaml(distinctBackends, ringSize));
        var clock = Stopwatch.StartNew();
        using ForwarderProcess forwarder = ForwarderProcess.Start(topology.LoadBalancer, ["run", "--config", config.Path, "--api", $"unix:{socket}"]);
        forwarder.WaitForReady();
        TimeSpan ready = clock.Elapsed;
        output.WriteLine($"READY after {ready.TotalMilliseconds:F0} ms; peak RSS {PeakRssMiB(forwarder.Pid)} MiB");
        Assert.True(ready < ReadyBound, $"READY only after {ready.TotalSeconds:F1} s\n{forwarder.Describe()}");

        Assert.True(Wait.Until(() => File.Exists(socket), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50)), "the API socket did not appear");
        using var api = new UnixApiClient(socket);
        // A probe that timed out on a loaded machine flips a backend: each flip may rebuild its VIP's table once more.
        long atStart = distinctBackends ? 1 + MoreVips : 2; // the topology's VIP has its own backends
        long built = 0, reused = 0, flipsAtStart = 0;
        Assert.True(Wait.Until(() =>
        {
            flipsAtStart = HealthFlips(forwarder); // before the tables: a flip counted here is at most one too many
            (built, reused) = Tables(api);
            return built >= atStart && built <= atStart + flipsAtStart;
        }, TimeSpan.FromSeconds(3), TimeSpan.FromMilliseconds(100)), $"{built} tables built at start, not {atStart} (health flips: {flipsAtStart})");
        output.WriteLine($"tables at start: {built} built, {reused} reused; {flipsAtStart} health flip(s)");

        // API weight changes (different weights: VIPs with equal inputs would share a table): each rebuilds one VIP's table. The first (of the process) also compiles the
        // edit path; the second is timed.
        for (int edit = 0; edit < 2; edit++)
        {
            clock.Restart();
            (int status, string body) = api.Send(HttpMethod.Put, $"/vips/10.110.0.{5 + edit}/80/tcp/backends/{BackendOf(5 + edit, 2, distinctBackends)}/weight", $$"""{"weight": {{3 + edit}}}""");
            TimeSpan change = clock.Elapsed;
            output.WriteLine($"weight change {edit + 1} answered {status} after {change.TotalMilliseconds:F0} ms");
            Assert.True(status == 200, body);
            Assert.True(edit == 0 || change < ChangeBound, $"the weight change took {change.TotalSeconds:F1} s");
        }
        AssertTables(api, forwarder, built + 2, reused + 2 * MoreVips, expectedFlips: flipsAtStart);

        // A real backend's server stops: its VIP's table, and only that one, is rebuilt.
        Backend victim = topology.Backends[1];
        ConnectionLoop.Attempt[] attempts;
        TimeSpan stopped;
        using (var loop = new ConnectionLoop(topology.Client, ClientAddress, VipEndpoint, firstPort: 34000))
        {
            Thread.Sleep(Phase);
            stopped = ConnectionLoop.Elapsed;
            victim.Nginx.Dispose();
            Thread.Sleep(Phase);
            attempts = [.. loop.Attempts];
        }
        var before = attempts.Where(a => a.Finished < stopped).ToArray();
        var during = attempts.Where(a => a.Started >= stopped).ToArray();
        Assert.True(before.Length > 10 && before.All(a => a.Succeeded), $"connections failed before anything stopped\n{forwarder.Describe()}");
        ConnectionLoop.Attempt? lastToVictim = during.LastOrDefault(a => !a.Succeeded || a.Backend == victim.Name);
        TimeSpan flip = lastToVictim is null ? TimeSpan.Zero : lastToVictim.Started - stopped;
        output.WriteLine($"health flip: the last new connection to {victim} started {flip.TotalMilliseconds:F0} ms after its server stopped " +
            $"({during.Count(a => !a.Succeeded)} of {during.Length} connections failed meanwhile)");
        Assert.True(flip < ChangeBound, $"connections still went to {victim} {flip.TotalSeconds:F1} s after its server stopped");
        Assert.Contains(during, a => a.Succeeded && a.Started > stopped + flip);
        AssertTables(api, forwarder, built + 3, reused + 3 * MoreVips, expectedFlips: flipsAtStart + 1); // the victim's down
    }

    /// <summary>
    /// Asserts the table counts, allowing one more rebuild (one table built, every other reused) for each health flip
    /// beyond the <paramref name="expectedFlips"/> the test caused: a probe that timed out on a loaded machine. Waits a
    /// little for a flip's log line, which may follow the rebuild it caused.
    /// </summary>
    private static void AssertTables(UnixApiClient api, ForwarderProcess forwarder, long built, long reused, long expectedFlips)
    {
        (long Built, long Reused) seen = default;
        long flips = 0;
        bool counted = Wait.Until(() =>
        {
            seen = Tables(api);
            flips = HealthFlips(forwarder) - expectedFlips;
            long rebuilds = seen.Built - built;
            return rebuilds >= 0 && rebuilds <= Math.Max(flips, 0) && seen.Reused == reused + rebuilds * MoreVips;
        }, TimeSpan.FromSeconds(3), TimeSpan.FromMilliseconds(100));
        Assert.True(counted, $"tables {seen.Built} built, {seen.Reused} reused; expected {built} and {reused}, " +
            $"plus one built and {MoreVips} reused for each of {Math.Max(flips, 0)} unexpected health flip(s)\n{forwarder.Describe()}");
    }

    /// <summary>Health transitions the forwarder logged so far (down or up).</summary>
    private static long HealthFlips(ForwarderProcess forwarder) =>
        forwarder.StdoutLines.Count(l => l.Contains(" is down: ", StringComparison.Ordinal) || l.Contains(" is up: ", StringComparison.Ordinal));

    /// <summary>VIPs 10.110.x.y:80/tcp, each over four backends that only fill its table (no traffic goes to them).</summary>
    private static string MoreVipsYaml(bool distinctBackends, int ringSize)
    {
        var yaml = new StringBuilder();
        for (int v = 0; v < MoreVips; v++)
        {
            var vip = new VipBuilder($"10.110.{v / 256}.{v % 256}", 80, "tcp").Maglev(ringSize: ringSize);
            for (int b = 0; b < 4; b++)
                vip.Backend(BackendOf(v, b, distinctBackends));
            yaml.Append(vip.ToYaml());
        }
        return yaml.ToString();
    }

    private static string BackendOf(int vip, int backend, bool distinctBackends) =>
        distinctBackends ? $"10.{210 + vip / 256}.{vip % 256}.{backend + 1}" : $"10.203.0.{backend + 1}";

    private static (long Built, long Reused) Tables(UnixApiClient api)
    {
        (int status, string metrics) = api.Send(HttpMethod.Get, "/metrics");
        Assert.Equal(200, status);
        return (Sample(metrics, "forwarder_maglev_tables_built_total"), Sample(metrics, "forwarder_maglev_tables_reused_total"));
    }

    private static long Sample(string metrics, string name)
    {
        Match match = new Regex($"^{name} (\\d+)", RegexOptions.Multiline).Match(metrics);
        Assert.True(match.Success, $"/metrics has no {name}");
        return long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>The process's peak resident set (VmHWM), in MiB.</summary>
    private static long PeakRssMiB(int pid)
    {
        string? line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? -1 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }
}
