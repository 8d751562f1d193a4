using Forwarder.Announce;

namespace Forwarder.Metrics;

/// <summary>What the node offers its BIRD to announce, BIRD's protocols and the errors talking to it (written only with an <c>announce</c> section).</summary>
public static class AnnounceMetrics
{
    public static void Write(PrometheusTextWriter writer, AnnounceReading reading)
    {
        writer.Family("forwarder_announce_state", MetricType.Gauge,
            "0 off (hold-down after start), 1 announcing (BIRD took a file with at least one VIP), 2 withdrawn (BIRD took a file with no VIP: none passes the policy, or draining), 3 unconfirmed (BIRD has not taken the current file).");
        writer.Sample((long)reading.State);
        writer.Family("forwarder_announce_bird_confirmed", MetricType.Gauge, "1 when BIRD took the include file as it is now, 0 otherwise.");
        writer.Sample(reading.BirdConfirmed ? 1 : 0);
        writer.Family("forwarder_vip_announced", MetricType.Gauge, "1 when the VIP passes the announce policy and BIRD took the file offering it, 0 otherwise.");
        foreach (VipDecision vip in reading.Vips)
            writer.Sample(reading.IsAnnounced(vip) ? 1 : 0, new MetricLabel("vip", vip.Vip));
        writer.Family("forwarder_vip_digest_info", MetricType.Gauge, "Always 1; the labels name each VIP's Maglev table digest (equal on every node of an ECMP group).");
        foreach (VipDecision vip in reading.Vips)
            writer.Sample(1, new MetricLabel("vip", vip.Vip), new MetricLabel("digest", vip.Digest));
        writer.Family("forwarder_announce_errors_total", MetricType.Counter,
            "Failures talking to BIRD or writing the include file, by kind: unreachable, timeout, protocol, refused, write (retried with back-off; forwarding goes on).");
        foreach (KeyValuePair<BirdErrorKind, long> error in reading.Errors.OrderBy(e => e.Key))
            writer.Sample(error.Value, new MetricLabel("kind", error.Key.ToString().ToLowerInvariant()));
        writer.Family("forwarder_bird_protocol_up", MetricType.Gauge, "BIRD's protocols as its show protocols lists them (read every 10 s): 1 up (a BGP session: established), 0 otherwise.");
        foreach (BirdProtocol protocol in reading.Protocols)
            writer.Sample(protocol.Up ? 1 : 0, new MetricLabel("protocol", protocol.Name), new MetricLabel("kind", protocol.Kind));
    }
}
