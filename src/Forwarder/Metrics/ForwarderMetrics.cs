using Forwarder.Announce;
using Forwarder.ControlPlane;

namespace Forwarder.Metrics;

/// <summary>
/// Everything <c>GET /metrics</c> exposes, in the Prometheus text format: the workers' and the XDP
/// program's counters, per-VIP and per-backend traffic and health, the table version, refused changes,
/// failed reloads of the configuration file, faults of the API itself and output lines that could not be written. Read on the caller's thread; the workers are never asked anything.
/// </summary>
public static class ForwarderMetrics
{
    /// <param name="liveness">The liveness device's state; null without one (its metrics are then left out).</param>
    public static string Render(IDataPathCounters dataPath, ForwarderRuntime runtime, long apiFaults, long reloadFailures = 0, long logWriteFailures = 0,
        AnnounceReading? announce = null, Liveness.LivenessReading? liveness = null, Forwarder.Health.ViaVip.ProbeCounters? viaVipProbes = null)
    {
        var writer = new PrometheusTextWriter();
        writer.Family("forwarder_interface_info", MetricType.Gauge, "Always 1; the label names the interface served.");
        writer.Sample(1, new MetricLabel("interface", dataPath.InterfaceName));
        QueueMetrics.Write(writer, dataPath.ReadQueues());
        XdpMetrics.Write(writer, dataPath.ReadRedirectCounters());
        XskMetrics.Write(writer, dataPath.ReadSockets());
        HostAddressMetrics.Write(writer, dataPath.ReadHostAddresses());
        LoadBalancingMetrics.Write(writer, RuntimeReading.Read(runtime));
        ConnectionTableMetrics.Write(writer, dataPath.ReadConnectionTables());
        writer.Family("forwarder_api_faults_total", MetricType.Counter, "Requests the API failed to answer because of a fault of its own (logged; the workers are unaffected).");
        writer.Sample(apiFaults);
        writer.Family("forwarder_config_reload_failures_total", MetricType.Counter,
            "Reloads of the configuration file (file change, SIGHUP, POST /reload) that left the running configuration in place: the file unreadable or refused, or a fault while reloading (logged).");
        writer.Sample(reloadFailures);
        writer.Family("forwarder_log_write_failures_total", MetricType.Counter, "Log, stats and error lines that could not be written to stdout or stderr (e.g. a full disk); dropped, forwarding goes on.");
        writer.Sample(logWriteFailures);
        if (announce is not null)
            AnnounceMetrics.Write(writer, announce);
        if (liveness is not null)
            LivenessMetrics.Write(writer, liveness);
        if (viaVipProbes is not null)
            ViaVipProbeMetrics.Write(writer, viaVipProbes);
        return writer.ToString();
    }
}
