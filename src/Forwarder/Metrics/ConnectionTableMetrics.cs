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
    }

    private static void Family(PrometheusTextWriter writer, string name, MetricType type, string help, IReadOnlyList<ConnectionTableReading> tables, Func<ConnectionTableReading, long> value)
    {
        writer.Family(name, type, help);
        foreach (ConnectionTableReading table in tables)
            writer.Sample(value(table), new MetricLabel("queue", table.Queue.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }
}
