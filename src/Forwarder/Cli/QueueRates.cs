using Forwarder.Metrics;

namespace Forwarder.Cli;

/// <summary>One queue in <see cref="StatsReport"/>: its core, RX and TX totals and rates, and its drops by reason (totals) and their rate.</summary>
public sealed record QueueRates(int Queue, int Core, long RxPackets, long RxBytes, long TxPackets, long TxBytes,
    double RxPps, double RxBitsPerSecond, double TxPps, double TxBitsPerSecond, long Drops, double DropsPps,
    IReadOnlyDictionary<string, long> DropReasons)
{
    /// <summary>The kernel's counters of the queue's AF_XDP socket (totals); null when the forwarder exposes none.</summary>
    public XskTotals? Xsk { get; init; }

    internal static QueueRates From(MetricsReading earlier, MetricsReading now, string queue)
    {
        (string, string) q = ("queue", queue);
        MetricSample[] drops = now.Samples("forwarder_drops_total").Where(d => d.Label("queue") == queue).ToArray();
        return new QueueRates(
            int.TryParse(queue, out int number) ? number : -1,
            (int)now.Value("forwarder_queue_core", q),
            (long)now.Value("forwarder_rx_packets_total", q),
            (long)now.Value("forwarder_rx_bytes_total", q),
            (long)now.Value("forwarder_tx_packets_total", q),
            (long)now.Value("forwarder_tx_bytes_total", q),
            StatsReport.Rounded(now.Rate(earlier, "forwarder_rx_packets_total", q)),
            StatsReport.Rounded(8 * now.Rate(earlier, "forwarder_rx_bytes_total", q)),
            StatsReport.Rounded(now.Rate(earlier, "forwarder_tx_packets_total", q)),
            StatsReport.Rounded(8 * now.Rate(earlier, "forwarder_tx_bytes_total", q)),
            (long)drops.Sum(d => d.Value),
            StatsReport.Rounded(drops.Sum(d => now.Rate(earlier, d))),
            drops.Where(d => d.Value > 0).ToDictionary(d => d.Label("reason"), d => (long)d.Value, StringComparer.Ordinal))
        {
            Xsk = XskOf(now, q),
        };
    }

    private static XskTotals? XskOf(MetricsReading now, (string, string) q)
    {
        if (!now.Samples("forwarder_xsk_rx_dropped_total").Any(s => s.Label("queue") == q.Item2))
            return null;
        ulong Total(string name) => (ulong)now.Value(name, q);
        return new XskTotals(Total("forwarder_xsk_rx_dropped_total"), Total("forwarder_xsk_rx_invalid_descs_total"),
            Total("forwarder_xsk_tx_invalid_descs_total"), Total("forwarder_xsk_rx_ring_full_total"),
            Total("forwarder_xsk_rx_fill_ring_empty_descs_total"), Total("forwarder_xsk_tx_ring_empty_descs_total"),
            (long)now.Value("forwarder_xsk_statistics_read_failures_total", q));
    }
}
