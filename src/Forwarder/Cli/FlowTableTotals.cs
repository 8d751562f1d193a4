namespace Forwarder.Cli;

/// <summary>
/// The connection tables in <see cref="StatsReport"/>, summed over the queues: entries and capacity, hits and
/// misses, of the misses the TCP SYNs and the other TCP packets (connections this node did not see start),
/// evictions, expiries and the new flows not remembered for the per-second limit. Null without <c>--flow-table</c>.
/// </summary>
public sealed record FlowTableTotals(long Entries, long Capacity, long Hits, long Misses, long SynMisses, long NonSynMisses,
    long Evictions, long Expired, long RateLimited)
{
    internal static FlowTableTotals? From(MetricsReading now)
    {
        if (now.Samples("forwarder_flow_table_capacity").Count == 0)
            return null;
        return new FlowTableTotals(Sum(now, "forwarder_flow_table_entries"), Sum(now, "forwarder_flow_table_capacity"),
            Sum(now, "forwarder_flow_table_hits_total"), Sum(now, "forwarder_flow_table_misses_total"),
            Sum(now, "forwarder_flow_table_syn_misses_total"), Sum(now, "forwarder_flow_table_non_syn_misses_total"),
            Sum(now, "forwarder_flow_table_evictions_total"), Sum(now, "forwarder_flow_table_expired_total"),
            Sum(now, "forwarder_flow_table_rate_limited_total"));
    }

    private static long Sum(MetricsReading now, string name) => (long)now.Samples(name).Sum(s => s.Value);
}
