using Forwarder.Health.ViaVip;

namespace Forwarder.Metrics;

/// <summary>What bpf/healthcheck.c did with <c>via: vip</c> probe packets (written only while it is attached).</summary>
public static class ViaVipProbeMetrics
{
    public static void Write(PrometheusTextWriter writer, ProbeCounters counters)
    {
        writer.Family("forwarder_health_probe_packets_total", MetricType.Counter,
            "Packets of via: vip health probes by verdict: ipip, gue, dsr_l2 (sent to the backend that way); no_target, wrong_family, failed (dropped: a probe mark without entry, not the backend's family, no room for the outer headers).");
        foreach ((ProbeCounterSlot slot, ulong value) in counters.ByVerdict.OrderBy(c => c.Key))
            writer.Sample(value, new MetricLabel("verdict", ProbeCounters.Name(slot)));
    }
}
