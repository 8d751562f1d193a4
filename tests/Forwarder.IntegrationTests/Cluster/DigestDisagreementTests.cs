using System.Diagnostics;
using Forwarder.IntegrationTests.ControlPlane;
using Forwarder.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Forwarder.IntegrationTests.Cluster;

/// <summary>
/// A node that sees another backend set holds another Maglev table, and <c>forwarder peers check</c> against the
/// three nodes' APIs says so: n2's configuration gets one backend more (a second address of b3, real and
/// answering, so health checks keep it), n2 reloads, and from the reload the check must exit 1 naming the IPv4
/// VIP and n2's API: the first check started after the reload (within 1 s of it) reports it. The end-to-end time and the
/// command's own run time before the change (the same-run baseline) are printed. Before the change the same check passes.
/// </summary>
public sealed class DigestDisagreementTests(ITestOutputHelper output)
{
    private const int Odd = 1;
    private const string ExtraBackend = "10.31.2.14";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan GiveUp = TimeSpan.FromSeconds(10);

    [RootFact]
    public void Peers_check_reports_a_node_with_another_backend_set_within_1_s_of_its_reload()
    {
        using ClusterTopology cluster = ClusterTopology.Create();
        string[] peers = Enumerable.Range(0, ClusterTopology.NodeNames.Count).Select(i => $"unix:{cluster.ApiSocket(i)}").ToArray();
        var baseline = Stopwatch.StartNew();
        CommandResult agreed = PeersCheck(peers);
        TimeSpan checkRun = baseline.Elapsed; // the command's own run time, most of it the runtime's start: the same-run baseline
        Assert.True(agreed.Succeeded, $"the nodes disagree before any change:\n{agreed}");

        string b3 = $"{cluster.Prefix}-{ClusterTopology.BackendNames[^1]}";
        HostCommand.Check("ip", "-n", b3, "addr", "add", $"{ExtraBackend}/24", "dev", ClusterTopologyScript.Variable("CL_BACKEND_INTERFACE"));
        string config = Path.Combine(cluster.NodeDirectory(Odd), "forwarder.yaml");
        string lastBackend = $"      - address: {ClusterTopology.BackendAddresses[^1]}\n";
        string text = File.ReadAllText(config);
        Assert.Contains(lastBackend, text);
        File.WriteAllText(config, text.Replace(lastBackend, lastBackend + $"      - address: {ExtraBackend}\n", StringComparison.Ordinal));

        var clock = Stopwatch.StartNew();
        using (var api = new UnixApiClient(cluster.ApiSocket(Odd)))
        {
            (int status, string body) = api.Send(HttpMethod.Post, "/reload");
            Assert.True(status == 200, $"POST /reload on {ClusterTopology.NodeNames[Odd]} answered {status}: {body}");
        }
        TimeSpan reloaded = clock.Elapsed;
        CommandResult check = agreed;
        int checks = 0;
        TimeSpan started = TimeSpan.Zero;
        while (check.Succeeded && clock.Elapsed < GiveUp)
        {
            started = clock.Elapsed;
            check = PeersCheck(peers);
            checks++;
        }
        TimeSpan reported = clock.Elapsed;

        output.WriteLine($"peers check reported {ClusterTopology.NodeNames[Odd]}'s other table {reported.TotalMilliseconds:F0} ms after its reload began " +
            $"(reload {reloaded.TotalMilliseconds:F0} ms; the reporting check started {started.TotalMilliseconds:F0} ms after it and ran {(reported - started).TotalMilliseconds:F0} ms; " +
            $"baseline: the check before the change ran {checkRun.TotalMilliseconds:F0} ms; {checks} check(s)):\n{check.Stdout.TrimEnd()}\n{check.Stderr.TrimEnd()}");
        Assert.True(check.ExitCode == 1, $"peers check did not report the disagreement within {GiveUp.TotalSeconds:F0} s:\n{check}");
        string problem = check.Stderr.Split('\n').FirstOrDefault(l => l.Contains($"VIP {ClusterTopology.Vip}:", StringComparison.Ordinal)) ?? "";
        Assert.True(problem.Contains("different tables", StringComparison.Ordinal) && problem.Contains(peers[Odd], StringComparison.Ordinal),
            $"no line names the IPv4 VIP's different tables and {peers[Odd]}:\n{check}");
        Assert.DoesNotContain(ClusterTopology.Vip6.ToString(), check.Stderr);
        // The bound is on the forwarder's side: the first check started within 1 s of the change reports it. The end-to-end
        // time adds the command's own start (printed, with the baseline), which a loaded machine stretches past 1 s.
        Assert.True(checks == 1 && started <= Bound,
            $"the check started {started.TotalMilliseconds:F0} ms after the reload began did not report the disagreement ({checks} check(s) needed):\n{check}");
    }

    private static CommandResult PeersCheck(string[] peers) =>
        HostCommand.Run(ForwarderProcess.DotnetHost(), [Path.Combine(AppContext.BaseDirectory, "forwarder.dll"), "peers", "check", .. peers.SelectMany(p => new[] { "--peer", p })],
            TimeSpan.FromSeconds(30));
}
