using System.Globalization;
using System.Text.Json;
using Forwarder.IntegrationTests.Infrastructure;
using Forwarder.IntegrationTests.LoadBalancing;
using Xunit.Abstractions;

namespace Forwarder.IntegrationTests.ControlPlane;

/// <summary>
/// A running forwarder whose watched configuration file is replaced by a hostile one — 20,000 levels of
/// nesting in 80 KB, which overflowed the reader's stack and ended the process — keeps forwarding with
/// the configuration it had, and reports each refusal: by the file watcher, SIGHUP and POST /reload.
/// </summary>
public sealed class HostileReloadTests(ITestOutputHelper output)
{
    private const string FailuresMetric = "forwarder_config_reload_failures_total";

    private static readonly string DeeplyNested = string.Concat(Enumerable.Repeat("{a: ", 20_000)) + "1" + new string('}', 20_000) + "\n";

    [RootFact]
    public void A_watched_file_replaced_by_a_deeply_nested_one_is_refused_and_forwarding_goes_on()
    {
        string socket = Path.Combine(Path.GetTempPath(), $"fwt-api-{Environment.ProcessId}-{Guid.NewGuid():N}.sock");
        using LoadBalancerUnderTest lb = LoadBalancerUnderTest.Start(LoadBalancingMode.Ipip, runOptions: ["--api", $"unix:{socket}"]);
        Assert.True(Wait.Until(() => File.Exists(socket), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50)), "the API socket did not appear");
        using var api = new UnixApiClient(socket);
        AssertConnectionsSucceed(lb, firstPort: 27000);
        long version = Version(api);
        Assert.Equal(0, Failures(api));

        string staged = lb.ConfigPath + ".new";
        try
        {
            File.WriteAllText(staged, DeeplyNested);
            File.Move(staged, lb.ConfigPath, overwrite: true); // replaced as deployment tools do
        }
        finally
        {
            File.Delete(staged);
        }
        Assert.True(Wait.Until(() => lb.Forwarder.HasExited || FailuresIfAnswering(api) >= 1, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50)),
            $"the file watcher's reload was not counted within 10 s\n{lb.Describe()}");
        Assert.False(lb.Forwarder.HasExited, $"the forwarder ended on reading the file\n{lb.Describe()}");
        Assert.Equal(1, Failures(api));

        lb.Forwarder.Signal(LibC.SIGHUP);
        Assert.True(Wait.Until(() => lb.Forwarder.HasExited || FailuresIfAnswering(api) >= 2, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50)),
            $"the SIGHUP reload was not counted within 10 s\n{lb.Describe()}");
        (int status, string body) = api.Send(HttpMethod.Post, "/reload");
        output.WriteLine($"POST /reload: {status} {body}");
        Assert.Equal(400, status);
        Assert.Contains("nesting deeper than 64 levels", body);

        Assert.Equal(3, Failures(api));
        Assert.Equal(version, Version(api));
        Assert.Contains("refused (file change", string.Join('\n', lb.Forwarder.StdoutLines));
        AssertConnectionsSucceed(lb, firstPort: 27100);
        ForwarderReport report = lb.Stop();
        Assert.True(report.TotalDrops == 0, $"drops: {lb.FinalLine}");
    }

    private void AssertConnectionsSucceed(LoadBalancerUnderTest lb, int firstPort)
    {
        IReadOnlyList<CurlOutcome> outcomes = CurlRequests.Get(lb.Topology.Client, BackendPoolTopology.VipUrl, Enumerable.Range(firstPort, 20).ToArray());
        output.WriteLine($"{outcomes.Count(o => o.Succeeded)} of {outcomes.Count} connections from port {firstPort} succeeded");
        Assert.All(outcomes, o => Assert.True(o.Succeeded, $"{o}\n{lb.Describe()}"));
    }

    /// <summary>The count, or null while the API does not answer (a forwarder that died is then seen as exited).</summary>
    private static long? FailuresIfAnswering(UnixApiClient api)
    {
        try
        {
            return Failures(api);
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static long Failures(UnixApiClient api)
    {
        (int status, string metrics) = api.Send(HttpMethod.Get, "/metrics");
        Assert.Equal(200, status);
        string line = metrics.Split('\n').Single(l => l.StartsWith(FailuresMetric + " ", StringComparison.Ordinal));
        return long.Parse(line[(FailuresMetric.Length + 1)..], CultureInfo.InvariantCulture);
    }

    private static long Version(UnixApiClient api)
    {
        (int status, string body) = api.Send(HttpMethod.Get, "/status");
        Assert.Equal(200, status);
        return JsonDocument.Parse(body).RootElement.GetProperty("version").GetInt64();
    }
}
