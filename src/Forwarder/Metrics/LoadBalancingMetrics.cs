using System.Globalization;
using Forwarder.Configuration;

namespace Forwarder.Metrics;

/// <summary>
/// Per-VIP and per-backend series (labels <c>vip="10.0.0.1:80/tcp"</c>, <c>backend="10.0.0.2"</c>, and
/// <c>port="8080"</c> for a nat backend that names its port), the answers the forwarder gave itself, and
/// the state of the control plane: table version, refused changes, Maglev tables built and reused. A VIP's refused
/// sources are written only for VIPs with allowed sources.
/// </summary>
public static class LoadBalancingMetrics
{
    public static void Write(PrometheusTextWriter writer, RuntimeReading reading)
    {
        writer.Family("forwarder_vip_packets_total", MetricType.Counter, "Packets forwarded for the VIP (to any backend, and under nat the backends' replies).");
        foreach (VipReading vip in reading.Vips)
            writer.Sample(vip.Packets, Vip(vip));
        writer.Family("forwarder_vip_bytes_total", MetricType.Counter, "Bytes forwarded for the VIP, counted as received.");
        foreach (VipReading vip in reading.Vips)
            writer.Sample(vip.Bytes, Vip(vip));
        writer.Family("forwarder_vip_table_info", MetricType.Gauge,
            "Always 1; the labels give the VIP's mode and the digest of its Maglev table (equal on every node of an ECMP group with the same configuration and health).");
        foreach (VipReading vip in reading.Vips)
            writer.Sample(1, Vip(vip), new MetricLabel("mode", ConfigNames.Of(ConfigNames.Modes, vip.Mode)), new MetricLabel("digest", vip.Digest));

        writer.Family("forwarder_vip_source_not_allowed_total", MetricType.Counter,
            "Packets the VIP dropped because their source is outside its allowed_sources (also in forwarder_drops_total, reason source_not_allowed); only VIPs with allowed_sources.");
        foreach (VipReading vip in reading.Vips)
        {
            if (vip.SourceNotAllowed is { } refused)
                writer.Sample(refused, Vip(vip));
        }

        QuicMetrics.Write(writer, reading);

        BackendFamily(writer, reading, "forwarder_backend_packets_total", MetricType.Counter, "Packets forwarded to the backend for the VIP.",
            backend => backend.Packets);
        BackendFamily(writer, reading, "forwarder_backend_bytes_total", MetricType.Counter, "Bytes forwarded to the backend for the VIP, counted as received.",
            backend => backend.Bytes);
        BackendFamily(writer, reading, "forwarder_backend_reply_packets_total", MetricType.Counter,
            "Replies of the nat backend rewritten back to the VIP (not in forwarder_backend_packets_total; 0 in other modes).", backend => backend.ReplyPackets);
        BackendFamily(writer, reading, "forwarder_backend_reply_bytes_total", MetricType.Counter,
            "Bytes of the nat backend's replies rewritten back to the VIP, counted as received.", backend => backend.ReplyBytes);
        BackendFamily(writer, reading, "forwarder_backend_up", MetricType.Gauge, "1 when the backend is healthy (in its VIP's table when its weight is positive), 0 when marked down.",
            backend => backend.Up ? 1 : 0);
        BackendFamily(writer, reading, "forwarder_backend_weight", MetricType.Gauge, "The backend's configured weight (0 = draining).",
            backend => backend.Weight);

        writer.Family("forwarder_echo_replies_total", MetricType.Counter, "ICMP echo requests to a VIP answered.");
        writer.Sample(reading.Events.EchoReplies);
        writer.Family("forwarder_too_big_answered_total", MetricType.Counter, "Packets too big to encapsulate, answered with ICMP fragmentation needed / packet too big.");
        writer.Sample(reading.Events.TooBigAnswered);
        writer.Family("forwarder_nat_replies_total", MetricType.Counter, "Replies of nat backends rewritten back to their VIP.");
        writer.Sample(reading.Events.NatReplies);

        writer.Family("forwarder_table_version", MetricType.Gauge, "Version of the forwarding tables the workers use; every accepted change adds one.");
        writer.Sample(reading.Version);
        writer.Family("forwarder_refused_changes_total", MetricType.Counter, "Configuration changes refused (file reloads and API edits); the running configuration stayed as it was.");
        writer.Sample(reading.RefusedChanges);
        writer.Family("forwarder_maglev_tables_built_total", MetricType.Counter,
            "Maglev tables computed since start; a change computes only the tables whose inputs (backends, weights, health, version, ring size) changed.");
        writer.Sample(reading.TablesBuilt);
        writer.Family("forwarder_maglev_tables_reused_total", MetricType.Counter,
            "VIP tables taken unchanged from the previous snapshot, or shared with another VIP of equal inputs, instead of computed.");
        writer.Sample(reading.TablesReused);
    }

    /// <summary>
    /// One series per backend of each VIP: <c>backend</c> is its address, and a nat backend that names its
    /// port (one address may be listed with several) adds <c>port</c>.
    /// </summary>
    private static void BackendFamily(PrometheusTextWriter writer, RuntimeReading reading, string name, MetricType type, string help,
        Func<BackendReading, long> value)
    {
        writer.Family(name, type, help);
        foreach (VipReading vip in reading.Vips)
        {
            foreach (BackendReading backend in vip.Backends)
            {
                var address = new MetricLabel("backend", backend.Address.ToString());
                if (backend.Port is { } port)
                    writer.Sample(value(backend), Vip(vip), address, new MetricLabel("port", port.ToString(CultureInfo.InvariantCulture)));
                else
                    writer.Sample(value(backend), Vip(vip), address);
            }
        }
    }

    private static MetricLabel Vip(VipReading vip) => new("vip", vip.Vip.ToString());
}
