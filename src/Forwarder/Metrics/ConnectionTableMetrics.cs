namespace Forwarder.Metrics;

/// <summary>Each worker's connection table: capacity, occupancy, hits, misses, evictions and expiries. Nothing when the forwarder runs stateless.</summary>
public static class ConnectionTableMetrics
{
    public static void Write(PrometheusTextWriter writer, IReadOnlyList<ConnectionTableReading> tables)
    {
        if (tables.Count == 0)
            return;
        Family(writer, "forwarder_flow_table_capacity", MetricType.Gauge, "Entries the queue's connection table holds at most (fixed at start).", tables, t => t.Capacity);
        Family(writer, "forwarder_flow_table_entries", MetricType.Gauge, "Connections the queue's table remembers now.", tables, t => t.Entries);
        Family(writer, "forwarder_flow_table_hits_total", MetricType.Counter, "Lookups that found the connection.", tables, t => t.Hits);
        Family(writer, "forwarder_flow_table_misses_total", MetricType.Counter, "Lookups that did not (new or forgotten connections).", tables, t => t.Misses);
        Family(writer, "forwarder_flow_table_evictions_total", MetricType.Counter, "Live connections forgotten to make room (the least recently seen of a full bucket).", tables, t => t.Evictions);
        Family(writer, "forwarder_flow_table_expired_total", MetricType.Counter, "Connections forgotten after their idle timeout.", tables, t => t.Expired);
        Family(writer, "forwarder_flow_table_syn_misses_total", MetricType.Counter, "TCP SYNs: new connections, sent to the Maglev choice.", tables, t => t.SynMisses);
        Family(writer, "forwarder_flow_table_non_syn_misses_total", MetricType.Counter, "TCP packets other than a SYN of connections the table did not know (not seen starting: a node change, an eviction or an expiry).", tables, t => t.NonSynMisses);
        Family(writer, "forwarder_flow_table_rate_limited_total", MetricType.Counter, "New flows not remembered (rate limit): forwarded by Maglev alone, per packet.", tables, t => t.RateLimited);
    }

    private static void Family(PrometheusTextWriter writer, string name, MetricType type, string help, IReadOnlyList<ConnectionTableReading> tables, Func<ConnectionTableReading, long> value)
    {
        writer.Family(name, type, help);
        foreach (ConnectionTableReading table in tables)
            writer.Sample(value(table), new MetricLabel("queue", table.Queue.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }
}
