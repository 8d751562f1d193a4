using System.Globalization;
using Forwarder.Metrics;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Forwarder.Cli;

/// <summary>
/// What <c>forwarder stats</c> shows, made from two readings of <c>/metrics</c>: per-queue rates, the XDP
/// program's, per-VIP and per-backend rates with health and weight, and drops by reason; under the header the
/// liveness device's and announcing's lines of <c>forwarder status</c>, when the node has them.
/// </summary>
internal static class StatsView
{
    public static IRenderable Render(MetricsReading? earlier, MetricsReading now, StatsNodeState? state = null)
    {
        string iface = now.Samples("forwarder_interface_info").FirstOrDefault()?.Label("interface") ?? "?";
        var header = new Text(
            $"forwarder on {iface} · table version {now.Value("forwarder_table_version"):F0} · " +
            $"xdp redirected {Pps(now.Rate(earlier, "forwarder_xdp_redirected_packets_total"))}, passed {Pps(now.Rate(earlier, "forwarder_xdp_passed_packets_total"))}, to host {Pps(now.Rate(earlier, "forwarder_xdp_host_passed_packets_total"))} · " +
            $"refused changes {now.Value("forwarder_refused_changes_total"):F0} · API faults {now.Value("forwarder_api_faults_total"):F0}" +
            (earlier is null ? " · rates from the next reading" : $" · over {(now.At - earlier.At).TotalSeconds:F1} s"));
        IEnumerable<IRenderable> nodeState = (state ?? StatsNodeState.None).Lines().Select(line => new Text(line));
        List<IRenderable> rows = [header, .. nodeState, Queues(earlier, now), Sockets(earlier, now)];
        if (FlowTableTotals.From(now) is { } flows)
            rows.Add(FlowTable(flows));
        rows.Add(Vips(earlier, now));
        if (QuicStatsTable.Render(earlier, now) is { } quic)
            rows.Add(quic);
        rows.Add(Drops(earlier, now));
        return new Rows(rows);
    }

    /// <summary>The connection tables summed over queues: totals since the start.</summary>
    private static Table FlowTable(FlowTableTotals flows)
    {
        var table = new Table().Title("flow table (all queues, totals)").AddColumns("entries", "capacity", "hits", "misses", "SYN misses", "non-SYN misses",
            "evictions", "expired", "not remembered (rate limit)");
        table.AddRow(Count(flows.Entries), Count(flows.Capacity), Count(flows.Hits), Count(flows.Misses), Count(flows.SynMisses), Count(flows.NonSynMisses),
            Count(flows.Evictions), Count(flows.Expired), Count(flows.RateLimited));
        RightAlign(table, from: 0);
        return table;
    }

    private static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static Table Queues(MetricsReading? earlier, MetricsReading now)
    {
        var table = new Table().Title("queues").AddColumns("queue", "cpu", "rx", "rx bits", "tx", "tx bits", "drops", "batches", "idle waits");
        foreach (MetricSample rx in now.Samples("forwarder_rx_packets_total"))
        {
            string queue = rx.Label("queue");
            (string, string) q = ("queue", queue);
            table.AddRow(queue,
                now.Value("forwarder_queue_core", q).ToString(CultureInfo.InvariantCulture),
                Pps(now.Rate(earlier, rx)),
                Bps(8 * now.Rate(earlier, "forwarder_rx_bytes_total", q)),
                Pps(now.Rate(earlier, "forwarder_tx_packets_total", q)),
                Bps(8 * now.Rate(earlier, "forwarder_tx_bytes_total", q)),
                Pps(now.Samples("forwarder_drops_total").Where(d => d.Label("queue") == queue).Sum(d => now.Rate(earlier, d))),
                PerSecond(now.Rate(earlier, "forwarder_batches_total", q)),
                PerSecond(now.Rate(earlier, "forwarder_idle_waits_total", q)));
        }
        RightAlign(table, from: 1);
        return table;
    }

    /// <summary>The kernel's AF_XDP counters per queue: totals since the start, and their rate.</summary>
    private static Table Sockets(MetricsReading? earlier, MetricsReading now)
    {
        var table = new Table().Title("kernel AF_XDP counters (total, rate)").AddColumns("queue", "rx dropped", "rx ring full", "fill ring empty", "rx invalid descs", "tx invalid descs", "tx ring empty", "read failures");
        foreach (MetricSample dropped in now.Samples("forwarder_xsk_rx_dropped_total"))
        {
            (string, string) q = ("queue", dropped.Label("queue"));
            string Cell(string name) => TotalAndRate(now, earlier, name, q);
            table.AddRow(q.Item2, Cell("forwarder_xsk_rx_dropped_total"), Cell("forwarder_xsk_rx_ring_full_total"),
                Cell("forwarder_xsk_rx_fill_ring_empty_descs_total"), Cell("forwarder_xsk_rx_invalid_descs_total"),
                Cell("forwarder_xsk_tx_invalid_descs_total"), Cell("forwarder_xsk_tx_ring_empty_descs_total"),
                now.Value("forwarder_xsk_statistics_read_failures_total", q).ToString("F0", CultureInfo.InvariantCulture));
        }
        RightAlign(table, from: 1);
        return table;
    }

    private static string TotalAndRate(MetricsReading now, MetricsReading? earlier, string name, (string, string) queue) =>
        $"{now.Value(name, queue).ToString("F0", CultureInfo.InvariantCulture)} ({PerSecond(now.Rate(earlier, name, queue))})";

    private static Table Vips(MetricsReading? earlier, MetricsReading now)
    {
        var table = new Table().Title("VIPs and backends").AddColumns("VIP / backend", "health", "weight", "packets", "bits", "replies", "total packets", "digest");
        foreach (MetricSample vip in now.Samples("forwarder_vip_packets_total"))
        {
            (string, string) v = ("vip", vip.Label("vip"));
            string digest = now.Samples("forwarder_vip_table_info").FirstOrDefault(i => i.Label("vip") == v.Item2)?.Label("digest") ?? "";
            table.AddRow(Markup.Escape(v.Item2), "", "", Pps(now.Rate(earlier, vip)), Bps(8 * now.Rate(earlier, "forwarder_vip_bytes_total", v)), "",
                vip.Value.ToString("F0", CultureInfo.InvariantCulture), Markup.Escape(digest));
            foreach (MetricSample backend in now.Samples("forwarder_backend_packets_total").Where(b => b.Label("vip") == v.Item2))
            {
                (string, string) b = ("backend", backend.Label("backend"));
                bool up = now.Value("forwarder_backend_up", v, b) > 0;
                table.AddRow("  " + Markup.Escape(b.Item2), up ? "[green]up[/]" : "[red]down[/]",
                    now.Value("forwarder_backend_weight", v, b).ToString(CultureInfo.InvariantCulture),
                    Pps(now.Rate(earlier, backend)), Bps(8 * now.Rate(earlier, "forwarder_backend_bytes_total", v, b)),
                    Pps(now.Rate(earlier, "forwarder_backend_reply_packets_total", v, b)),
                    backend.Value.ToString("F0", CultureInfo.InvariantCulture), "");
            }
        }
        RightAlign(table, from: 2);
        return table;
    }

    private static Table Drops(MetricsReading? earlier, MetricsReading now)
    {
        var table = new Table().Title("drops (reasons seen since the start)").AddColumns("queue", "reason", "rate", "total");
        foreach (MetricSample drop in now.Samples("forwarder_drops_total").Where(d => d.Value > 0))
            table.AddRow(drop.Label("queue"), drop.Label("reason"), Pps(now.Rate(earlier, drop)), drop.Value.ToString("F0", CultureInfo.InvariantCulture));
        RightAlign(table, from: 2);
        return table;
    }

    private static void RightAlign(Table table, int from)
    {
        for (int i = from; i < table.Columns.Count; i++)
            table.Columns[i].RightAligned();
    }

    /// <summary>Packets per second: <c>12 pps</c>, <c>3.4 kpps</c>, <c>1.25 Mpps</c>.</summary>
    public static string Pps(double rate) => Scaled(rate, "pps");

    /// <summary>Bits per second: <c>800 bit/s</c>, <c>1.2 Mbit/s</c>, <c>9.41 Gbit/s</c>.</summary>
    public static string Bps(double rate) => Scaled(rate, "bit/s");

    private static string PerSecond(double rate) => Scaled(rate, "/s");

    private static string Scaled(double value, string unit) => value switch
    {
        >= 1e9 => string.Create(CultureInfo.InvariantCulture, $"{value / 1e9:F2} G{unit}"),
        >= 1e6 => string.Create(CultureInfo.InvariantCulture, $"{value / 1e6:F2} M{unit}"),
        >= 1e3 => string.Create(CultureInfo.InvariantCulture, $"{value / 1e3:F1} k{unit}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{value:F0} {unit}"),
    };
}
