using System.Globalization;
using System.Text.RegularExpressions;
using Forwarder.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Forwarder.IntegrationTests.Cluster;

/// <summary>
/// The router spreads flows evenly over the nodes: at least 10,000 short connections (wrk, one request
/// per connection) split 1/3 ± 2 points over the three forwarders, counted by each forwarder's own VIP
/// packet counter (every connection of the same size, so packets split as connections do). The router's
/// routes must not change meanwhile: a BFD session flapping under the load would skew the split (the forwarders run
/// with <see cref="ClusterTopology.LenientWatchdogStall"/>, so a worker starved of CPU does not withdraw its node).
/// </summary>
public sealed partial class ClusterSpreadTests(ITestOutputHelper output)
{
    private const int MinConnections = 10_000;
    private const double Tolerance = 0.02;
    private const int MaxRounds = 6;

    [RootFact]
    public void Ten_thousand_short_connections_split_evenly_over_three_nodes()
    {
        using ClusterTopology cluster = ClusterTopology.Create();
        using RouteMonitor routes = RouteMonitor.Start(cluster.Router);
        long[] before = Enumerable.Range(0, 3).Select(cluster.VipPackets).ToArray();
        long connections = 0;
        for (int round = 0; round < MaxRounds && connections < MinConnections; round++)
            connections += ShortConnections(cluster, seconds: 3);
        long[] packets = Enumerable.Range(0, 3).Select(i => cluster.VipPackets(i) - before[i]).ToArray();
        long total = packets.Sum();
        double[] shares = packets.Select(p => (double)p / total).ToArray();
        output.WriteLine($"{connections} connections, {total} VIP packets: " +
            string.Join(", ", shares.Select((s, i) => $"{ClusterTopology.NodeNames[i]} {packets[i]} ({s * 100:F1}%)")));

        Assert.True(routes.Changes.Count == 0, $"the router's routes changed under the load:\n{routes.Describe()}\n{cluster.Describe()}");
        Assert.True(connections >= MinConnections, $"only {connections} connections in {MaxRounds} rounds\n{cluster.Describe()}");
        for (int i = 0; i < 3; i++)
            Assert.True(Math.Abs(shares[i] - 1.0 / 3) <= Tolerance,
                $"{ClusterTopology.NodeNames[i]} carried {shares[i] * 100:F1}% of the packets, not 33.3 ± {Tolerance * 100:F0}%\n{cluster.Describe()}");
    }

    /// <summary>wrk for SECONDS with `Connection: close` (every request a new connection); the requests it completed.</summary>
    private long ShortConnections(ClusterTopology cluster, int seconds)
    {
        CommandResult result = HostCommand.Run("nsenter",
            [$"--net={cluster.Client.Path}", HostCommand.Resolve("wrk"), "--threads", "2", "--connections", "16", "--duration", $"{seconds}s",
             "--timeout", "2s", "-H", "Connection: close", $"http://{ClusterTopology.Vip}:{ClusterTopology.VipPort}/"],
            TimeSpan.FromSeconds(seconds + 30));
        if (!result.Succeeded)
            throw CommandFailedException.From(result);
        Match done = Requests().Match(result.Stdout);
        if (!done.Success)
            throw new InvalidOperationException($"no request count in wrk's output:\n{result.Stdout}");
        output.WriteLine(string.Join(' ', result.Stdout.Split('\n').Where(l => l.Contains("requests in") || l.Contains("Socket errors") || l.Contains("Non-2xx")).Select(l => l.Trim())));
        return long.Parse(done.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex Requests();
}
