using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Forwarder.IntegrationTests.Infrastructure;
using Forwarder.IntegrationTests.LoadBalancing;
using Xunit.Abstractions;

namespace Forwarder.IntegrationTests.ControlPlane;

/// <summary>
/// ECMP nodes must hold identical tables: a running forwarder's status digest equals the one another node
/// computes from the same configuration with its backends listed in another order; and /metrics counts
/// match what the data path did.
/// </summary>
public sealed partial class TableDigestTests(ITestOutputHelper output)
{
    [RootFact]
    public void A_running_forwarder_and_a_reordered_copy_of_its_file_give_the_same_digest_and_metrics_match_the_traffic()
    {
        string socket = Path.Combine(Path.GetTempPath(), $"fwt-api-{Environment.ProcessId}-{Guid.NewGuid():N}.sock");
        using LoadBalancerUnderTest lb = LoadBalancerUnderTest.Start(LoadBalancingMode.Ipip, runOptions: ["--api", $"unix:{socket}"]);
        Assert.True(Wait.Until(() => File.Exists(socket), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50)), "the API socket did not appear");
        using var api = new UnixApiClient(socket);

        (int status, string body) = api.Send(HttpMethod.Get, "/status");
        Assert.Equal(200, status);
        string running = JsonDocument.Parse(body).RootElement.GetProperty("vips")[0].GetProperty("digest").GetString()!;

        string reordered = Path.Combine(Path.GetTempPath(), $"fwt-reordered-{Guid.NewGuid():N}.yaml");
        try
        {
            File.WriteAllText(reordered, Reorder(File.ReadAllText(lb.ConfigPath)));
            string check = RunCheck(reordered);
            output.WriteLine(check);
            Assert.Contains($"digest {running}", check);
        }
        finally
        {
            File.Delete(reordered);
        }

        IReadOnlyList<CurlOutcome> outcomes = CurlRequests.Get(lb.Topology.Client, BackendPoolTopology.VipUrl, Enumerable.Range(26000, 60).ToArray());
        Assert.All(outcomes, o => Assert.True(o.Succeeded, o.ToString()));
        (_, string metrics) = api.Send(HttpMethod.Get, "/metrics");
        long vipPackets = Sum(metrics, "forwarder_vip_packets_total");
        long backendPackets = Sum(metrics, "forwarder_backend_packets_total");
        long tx = Sum(metrics, "forwarder_tx_packets_total");
        output.WriteLine($"/metrics: vip {vipPackets}, backends {backendPackets}, tx {tx}");
        Assert.True(vipPackets >= 3 * 60, $"{vipPackets} VIP packets for 60 connections");
        Assert.Equal(vipPackets, backendPackets);
        Assert.Equal(vipPackets, tx);
    }

    /// <summary>The same file with each VIP's backend entries in reverse order.</summary>
    private static string Reorder(string yaml)
    {
        string[] lines = yaml.Split('\n');
        int start = Array.FindIndex(lines, l => l.TrimEnd() == "    backends:") + 1;
        var backends = lines[start..].Where(l => l.Length > 0).ToList();
        var entries = new List<List<string>>();
        foreach (string line in backends)
        {
            if (line.TrimStart().StartsWith('-'))
                entries.Add([]);
            entries[^1].Add(line);
        }
        entries.Reverse();
        return string.Join('\n', lines[..start].Concat(entries.SelectMany(e => e))) + "\n";
    }

    private static string RunCheck(string path)
    {
        var info = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "forwarder.dll"), "check", "--config", path])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using Process process = Process.Start(info)!;
        string stdout = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(30_000), "forwarder check did not finish");
        Assert.True(process.ExitCode == 0, stdout);
        return stdout;
    }

    private static long Sum(string metrics, string name) =>
        metrics.Split('\n').Where(l => l.StartsWith(name + "{", StringComparison.Ordinal) || l.StartsWith(name + " ", StringComparison.Ordinal))
            .Sum(l => long.Parse(SampleValue().Match(l).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));

    [GeneratedRegex(@"\s(\d+)(\s\d+)?$")]
    private static partial Regex SampleValue();
}
