using System.Runtime.Versioning;
using Forwarder.Metrics;
using Forwarder.Tests.Api;
using Forwarder.Tests.Configuration;
using Forwarder.Steering;

namespace Forwarder.Tests.Metrics;

/// <summary>docs/operations.md lists every metric family <c>GET /metrics</c> can expose, so the table cannot drift from the code.</summary>
[SupportedOSPlatform("linux")]
public sealed class MetricsDocumentationTests
{
    /// <summary>The fixed counters, plus a connection table per queue (families written only with --flow-table).</summary>
    private sealed class EveryFamily(IDataPathCounters counters) : IDataPathCounters
    {
        public string InterfaceName => counters.InterfaceName;

        public IReadOnlyList<QueueStats> ReadQueues() => counters.ReadQueues();

        public RedirectCounters ReadRedirectCounters() => counters.ReadRedirectCounters();

        public IReadOnlyList<XskSocketReading> ReadSockets() => counters.ReadSockets();

        public IReadOnlyList<ConnectionTableReading> ReadConnectionTables() =>
            [new(0, Capacity: 1024, Entries: 10, Hits: 100, Misses: 10, Evictions: 1, Expired: 2)];
    }

    [Fact]
    public void Every_exported_metric_is_in_the_operations_guide()
    {
        using var forwarder = new TestForwarder(ApiConfigs.Base + ApiConfigs.SecondVip);
        Forwarder.Announce.AnnounceReading announce = new(Forwarder.Announce.AnnounceState.Announcing, true, null,
            [new("10.100.0.1:80/tcp", System.Net.IPAddress.Parse("10.100.0.1"), true, "3 healthy backend(s)", "none")],
            [new("rtr", "BGP", true)], Forwarder.Announce.AnnounceReading.NoErrors, "/run/bird/bird.ctl", "/run/forwarder/bird-vips.conf");
        var probes = new Forwarder.Health.ViaVip.ProbeCounters(Enum.GetValues<Forwarder.Health.ViaVip.ProbeCounterSlot>().ToDictionary(slot => slot, slot => (ulong)slot));
        string text = ForwarderMetrics.Render(new EveryFamily(forwarder.Counters), forwarder.Runtime, apiFaults: 0, announce: announce,
            viaVipProbes: probes,
            liveness: new Forwarder.Liveness.LivenessReading("fwd0", DeviceUp: true, Draining: false, WatchdogStalls: 0, WatchdogWithdrawn: false, null, null));
        IReadOnlyCollection<string> names = StrictPrometheusParser.Parse(text).Keys.ToArray();
        string guide = File.ReadAllText(Repository.File("docs", "operations.md"));

        Assert.Contains("forwarder_flow_table_entries", names);
        Assert.Contains("forwarder_log_write_failures_total", names);
        Assert.Contains("forwarder_bird_protocol_up", names);
        Assert.Contains("forwarder_xsk_rx_ring_full_total", names);
        Assert.Contains("forwarder_liveness_device_up", names);
        Assert.Contains("forwarder_health_probe_packets_total", names);
        Assert.Contains("forwarder_health_probe_packets_total{verdict=\"no_target\"} 3", text);
        string[] missing = names.Where(name => !guide.Contains($"`{name}`", StringComparison.Ordinal)).ToArray();
        Assert.True(missing.Length == 0, $"docs/operations.md does not list: {string.Join(", ", missing)}");
    }
}
