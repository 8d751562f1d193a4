using System.Globalization;
using Forwarder.IntegrationTests.ControlPlane;
using Forwarder.IntegrationTests.Infrastructure;
using Xunit.Abstractions;
using static Forwarder.IntegrationTests.Infrastructure.LoadBalancerTopology;

namespace Forwarder.IntegrationTests.Upgrade;

/// <summary>
/// The counters <c>GET /metrics</c> shows per VIP and per backend, the connection tables' and the forwarder's own
/// answers go on across an upgrade: every such series the old process showed, the new one shows at least as high,
/// and the datagrams sent after it are counted on top.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class UpgradeCountersTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fwt-upgrade-counters-").FullName;

    [RootFact]
    public void Per_vip_per_backend_and_connection_table_counters_are_carried_across_an_upgrade()
    {
        using var rig = FlowTableUpgradeRig.Start(_directory, sourcePorts: 16);
        string socket = rig.Socket;
        rig.SendAll(1_600, "before the upgrade");

        Dictionary<string, long> before = Carried(socket);
        string vipPackets = $"forwarder_vip_packets_total{{vip=\"{Vip}:{VipPort}/udp\"}}";
        Assert.True(before.GetValueOrDefault(vipPackets) >= 1_600, $"{vipPackets} before the upgrade: {string.Join(", ", before)}");
        Assert.Contains(before, s => s.Key.StartsWith("forwarder_flow_table_hits_total", StringComparison.Ordinal) && s.Value > 0);

        rig.UpgradeByCommand();
        Assert.True(Wait.Until(() => rig.Forwarder.StdoutLines.Any(l => l.Contains("counting on from the predecessor's totals", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(100)), $"the successor did not take the totals\n{rig.Forwarder.Describe()}");
        Dictionary<string, long> after = Carried(socket);
        output.WriteLine($"before: {string.Join(", ", before.Where(s => s.Value > 0))}");
        output.WriteLine($"after:  {string.Join(", ", after.Where(s => s.Value > 0))}");
        Assert.All(before, series => Assert.True(after.GetValueOrDefault(series.Key, -1) >= series.Value,
            $"{series.Key} went from {series.Value} to {after.GetValueOrDefault(series.Key, -1)} across the upgrade"));

        rig.SendAll(400, "after the upgrade");
        Assert.True(Wait.Until(() => Carried(socket).GetValueOrDefault(vipPackets) >= before[vipPackets] + 400, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100)),
            $"{vipPackets}: {Carried(socket).GetValueOrDefault(vipPackets)}, not {before[vipPackets]} + 400");
        rig.Chain.StopCurrent(TimeSpan.FromSeconds(15));
    }

    /// <summary>The series an upgrade carries: per VIP and per backend, the connection tables' counters, the forwarder's own answers.</summary>
    private static Dictionary<string, long> Carried(string socket)
    {
        using var api = new UnixApiClient(socket);
        (int status, string body) = api.Send(HttpMethod.Get, "/metrics");
        Assert.Equal(200, status);
        string[] carried = ["forwarder_vip_packets_total", "forwarder_vip_bytes_total", "forwarder_backend_", "forwarder_quic_packets_total",
            "forwarder_flow_table_hits_total", "forwarder_flow_table_misses_total", "forwarder_flow_table_evictions_total", "forwarder_flow_table_expired_total",
            "forwarder_flow_table_syn_misses_total", "forwarder_flow_table_non_syn_misses_total", "forwarder_flow_table_rate_limited_total",
            "forwarder_echo_replies_total", "forwarder_too_big_answered_total", "forwarder_nat_replies_total"];
        return body.Split('\n')
            .Where(l => !l.StartsWith('#') && carried.Any(name => l.StartsWith(name, StringComparison.Ordinal)) && !l.StartsWith("forwarder_backend_up", StringComparison.Ordinal)
                && !l.StartsWith("forwarder_backend_weight", StringComparison.Ordinal))
            .ToDictionary(l => l[..l.LastIndexOf(' ')], l => long.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
