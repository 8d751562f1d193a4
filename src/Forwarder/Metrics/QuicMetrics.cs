using Forwarder.DataPlane;

namespace Forwarder.Metrics;

/// <summary><c>forwarder_quic_packets_total{vip, outcome}</c>: a quic VIP's UDP packets by how they were routed.</summary>
public static class QuicMetrics
{
    public static void Write(PrometheusTextWriter writer, RuntimeReading reading)
    {
        writer.Family("forwarder_quic_packets_total", MetricType.Counter,
            "UDP packets of a quic VIP by outcome: cid_routed (to the backend of the connection id's server id) + maglev_routed (every other) = all; "
            + "initial, unknown_server_id and retired_server_id say why a packet fell back to Maglev; cid_v0..cid_v3 count connection ids read by version.");
        foreach (VipReading vip in reading.Vips)
        {
            if (vip.Quic is not { } quic)
                continue;
            foreach (QuicCounter counter in QuicCounters.All)
                writer.Sample(quic[counter], new MetricLabel("vip", vip.Vip.ToString()), new MetricLabel("outcome", QuicCounters.Name(counter)));
        }
    }
}
