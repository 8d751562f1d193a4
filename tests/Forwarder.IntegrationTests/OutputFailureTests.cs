using System.Diagnostics;
using Forwarder.IntegrationTests.ControlPlane;
using Forwarder.IntegrationTests.Infrastructure;
using Forwarder.IntegrationTests.LoadBalancing;
using Forwarder.Metrics;
using static Forwarder.IntegrationTests.LoadBalancing.BackendPoolTopology;

namespace Forwarder.IntegrationTests;

/// <summary>
/// Standard output that cannot be written — a file on a full disk, a pipe whose reader is gone — costs log and
/// stats lines, never forwarding: the forwarder keeps serving the VIP, counts the lost lines in
/// <c>forwarder_log_write_failures_total</c>, and stops cleanly (detaching) when told to.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class OutputFailureTests
{
    private const string FailuresMetric = "forwarder_log_write_failures_total";
    private static readonly TimeSpan TrafficTime = TimeSpan.FromSeconds(4);
    private const int MaxRounds = 8;
    private const int RequestsPerRound = 4;

    [RootFact]
    public void Stdout_on_a_full_disk_is_counted_and_forwarding_goes_on()
    {
        using FullFilesystem disk = FullFilesystem.Create();
        double failures = ForwardWithStdout($">>{disk.OutputPath}", firstPort: 24000);
        Assert.True(failures >= 2, $"{FailuresMetric} is {failures}: the READY line and a stats line a second should have failed");
    }

    [RootFact]
    public void Stdout_into_a_closed_pipe_is_counted_and_forwarding_goes_on()
    {
        // The process substitution's reader exits at once: writes fail with EPIPE (SIGPIPE is ignored).
        double failures = ForwardWithStdout("> >(exec true)", firstPort: 24500);
        Assert.True(failures >= 2, $"{FailuresMetric} is {failures}: stats lines into the closed pipe should have failed");
    }

    /// <summary>
    /// Runs `forwarder run --config` with stats every second and stdout redirected, sends requests through it for
    /// a few seconds, and returns the failures it counted; asserts it forwarded every request and stopped with 0.
    /// </summary>
    private static double ForwardWithStdout(string redirection, int firstPort)
    {
        string socket = Path.Combine(Path.GetTempPath(), $"fwt-api-{Environment.ProcessId}-{Guid.NewGuid():N}.sock");
        try
        {
            using BackendPoolTopology topology = Create(LoadBalancingMode.Ipip);
            using ForwarderConfigFile config = ForwarderConfigFile.Write(topology);
            using ForwarderProcess forwarder = ForwarderProcess.StartWithStdout(topology.LoadBalancer,
                ["run", "--config", config.Path, "--api", $"unix:{socket}", "--stats-interval", "1"], redirection);
            using var api = new UnixApiClient(socket);
            forwarder.WaitUntil(() => File.Exists(socket) && TryGet(api, "/status") is not null, "its API answered");

            var clock = Stopwatch.StartNew();
            for (int round = 0; round < MaxRounds && clock.Elapsed < TrafficTime; round++)
            {
                int[] ports = Enumerable.Range(firstPort + round * RequestsPerRound, RequestsPerRound).ToArray();
                IReadOnlyList<CurlOutcome> outcomes = CurlRequests.Get(topology.Client, VipUrl, ports);
                Assert.True(outcomes.All(o => o.Succeeded),
                    $"round {round} ({clock.Elapsed.TotalSeconds:F1} s): {string.Join("; ", outcomes)}\n{forwarder.Describe()}");
                Thread.Sleep(TimeSpan.FromMilliseconds(500));
            }
            Assert.False(forwarder.HasExited, $"the forwarder stopped.\n{forwarder.Describe()}");

            string metrics = TryGet(api, "/metrics") ?? throw new InvalidOperationException($"GET /metrics failed.\n{forwarder.Describe()}");
            MetricSample failures = PrometheusTextParser.Parse(metrics).SingleOrDefault(s => s.Name == FailuresMetric)
                ?? throw new InvalidOperationException($"/metrics has no {FailuresMetric}:\n{metrics}");

            int exitCode = forwarder.Stop();
            Assert.True(exitCode == 0, $"the forwarder exited with {exitCode}.\n{forwarder.Describe()}");
            Assert.True(XdpAttachment.ProgramOn(topology.LoadBalancer, LbInterface) is null,
                $"still attached after SIGTERM:\n{XdpAttachment.Describe(topology.LoadBalancer, LbInterface)}");
            return failures.Value;
        }
        finally
        {
            File.Delete(socket);
        }
    }

    private static string? TryGet(UnixApiClient api, string path)
    {
        try
        {
            (int status, string body) = api.Send(HttpMethod.Get, path);
            return status == 200 ? body : null;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or System.Net.Sockets.SocketException or TaskCanceledException)
        {
            return null;
        }
    }
}
