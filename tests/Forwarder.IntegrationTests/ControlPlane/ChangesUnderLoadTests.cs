using System.Text.Json;
using Forwarder.IntegrationTests.Infrastructure;
using Forwarder.IntegrationTests.LoadBalancing;
using Xunit.Abstractions;
using static Forwarder.IntegrationTests.LoadBalancing.BackendPoolTopology;

namespace Forwarder.IntegrationTests.ControlPlane;

/// <summary>
/// Changes under load: while a client opens new connections to the VIP continuously, 100 API changes
/// (another VIP added and removed, backends of it added, weighted and removed) and 10 reloads of the file
/// are applied, and invalid changes are sent too. No connection fails, the workers never stall, invalid
/// changes are refused and leave the table version as it was.
/// </summary>
public sealed class ChangesUnderLoadTests(ITestOutputHelper output)
{
    private const string OtherVip = "/vips/10.100.0.9/8080/tcp";

    [RootFact]
    public void Api_changes_and_reloads_disturb_no_connection()
    {
        string socket = Path.Combine(Path.GetTempPath(), $"fwt-api-{Environment.ProcessId}-{Guid.NewGuid():N}.sock");
        using LoadBalancerUnderTest lb = LoadBalancerUnderTest.Start(LoadBalancingMode.Ipip, runOptions: ["--api", $"unix:{socket}"]);
        using var api = new UnixApiClient(socket);
        Assert.True(Wait.Until(() => File.Exists(socket), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50)), "the API socket did not appear");
        long startVersion = Version(api);
        int applied = 0, refused = 0, reloads = 0;

        ConnectionLoop.Attempt[] attempts;
        TimeSpan changesStarted;
        using (var loop = new ConnectionLoop(lb.Topology.Client, ClientAddress, VipEndpoint, firstPort: 40000))
        {
            Thread.Sleep(500);
            changesStarted = ConnectionLoop.Elapsed;
            for (int round = 0; round < 10; round++)
            {
                applied += Expect(api, 200, HttpMethod.Post, "/vips", """{"address": "10.100.0.9", "port": 8080, "protocol": "tcp", "backends": [{"address": "10.0.9.1"}]}""");
                for (int b = 2; b <= 5; b++)
                    applied += Expect(api, 200, HttpMethod.Post, $"{OtherVip}/backends", $$"""{"address": "10.0.9.{{b}}"}""");
                applied += Expect(api, 200, HttpMethod.Put, $"{OtherVip}/backends/10.0.9.2/weight", """{"weight": 3}""");
                applied += Expect(api, 200, HttpMethod.Put, $"{OtherVip}/backends/10.0.9.3/weight", """{"weight": 0}""");
                applied += Expect(api, 200, HttpMethod.Delete, $"{OtherVip}/backends/10.0.9.4");
                applied += Expect(api, 200, HttpMethod.Delete, $"{OtherVip}/backends/10.0.9.5");
                applied += Expect(api, 200, HttpMethod.Delete, OtherVip);

                refused += Expect(api, 400, HttpMethod.Post, "/vips", """{"address": "10.100.0.300", "backends": []}""");
                refused += Expect(api, 400, HttpMethod.Post, "/vips/10.100.0.1/80/tcp/backends", """{"address": "10.100.0.1"}""");

                // The reload lands 200 ms after its last trigger (the signal and the file change coalesce) and
                // makes the running configuration the file's again: let it land before the next round's API
                // changes, or it would remove the VIP they are about to edit (as documented for reloads).
                int reloadsLogged = ReloadsLogged(lb);
                File.AppendAllText(lb.ConfigPath, $"# reload {round}\n");
                lb.Forwarder.Signal(LibC.SIGHUP);
                reloads++;
                Assert.True(Wait.Until(() => ReloadsLogged(lb) > reloadsLogged, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(20)),
                    $"reload {round} was not logged within 5 s\n{lb.Describe()}");
                Thread.Sleep(300); // a trigger seen late gives one more reload; it lands within this
            }
            Thread.Sleep(500);
            attempts = [.. loop.Attempts];
        }

        long endVersion = Version(api);
        output.WriteLine($"{applied} changes applied, {refused} refused, {reloads} reloads; table version {startVersion} → {endVersion}; {attempts.Length} connections");
        Assert.Equal(100, applied);
        Assert.Equal(20, refused);
        Assert.True(endVersion >= startVersion + applied, $"version {endVersion} after {applied} changes from {startVersion}");
        Assert.True(attempts.Length > 200, $"only {attempts.Length} connections: the client or the workers stalled");
        Assert.All(attempts, a => Assert.True(a.Succeeded, $"{a}\n{lb.Describe()}"));
        // From the first change on, connections kept completing: no stall. (The loop's first connections
        // may wait for neighbour resolution along the path, before any change.)
        var gaps = attempts.Zip(attempts.Skip(1), (a, b) => (Gap: (b.Started - a.Started).TotalMilliseconds, At: a.Started))
            .Where(g => g.At >= changesStarted).ToArray();
        var longest = gaps.OrderByDescending(g => g.Gap).Take(5).ToArray();
        output.WriteLine("longest gaps between connections once changes started: " +
            string.Join(", ", longest.Select(g => $"{g.Gap:F0} ms at +{(g.At - changesStarted).TotalMilliseconds:F0} ms")));

        ForwarderReport report = lb.Stop();
        Assert.True(report.TotalDrops == 0, $"drops under changes: {lb.FinalLine}");
        double longestGap = longest.Select(g => g.Gap).DefaultIfEmpty(0).Max();
        Assert.True(longestGap < 500, $"no connection for {longestGap:F0} ms while changes were applied\n{lb.Describe()}");
    }

    private static int Expect(UnixApiClient api, int status, HttpMethod method, string path, string? json = null)
    {
        (int actual, string body) = api.Send(method, path, json);
        Assert.True(actual == status, $"{method} {path}: expected {status}, got {actual}: {body}");
        return 1;
    }

    /// <summary>Reloads the forwarder has logged (on standard output) so far, whether they changed the configuration or not.</summary>
    private static int ReloadsLogged(LoadBalancerUnderTest lb) =>
        lb.Forwarder.StdoutLines.Count(l => l.Contains(" reloaded (", StringComparison.Ordinal) || l.Contains(" re-read (", StringComparison.Ordinal));

    private static long Version(UnixApiClient api)
    {
        (int status, string body) = api.Send(HttpMethod.Get, "/status");
        Assert.Equal(200, status);
        return JsonDocument.Parse(body).RootElement.GetProperty("version").GetInt64();
    }
}
