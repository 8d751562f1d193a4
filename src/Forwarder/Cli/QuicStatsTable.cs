using System.Globalization;
using Forwarder.Metrics;
using Spectre.Console;

namespace Forwarder.Cli;

/// <summary><c>forwarder stats</c>' table of quic VIPs: each connection-id routing outcome's total and rate.</summary>
internal static class QuicStatsTable
{
    private const string Family = "forwarder_quic_packets_total";

    /// <summary>Null when no VIP is a quic VIP.</summary>
    public static Table? Render(MetricsReading? earlier, MetricsReading now)
    {
        IReadOnlyList<MetricSample> samples = now.Samples(Family).ToArray();
        if (samples.Count == 0)
            return null;
        var table = new Table().Title("quic VIPs: connection-id routing (total, rate)").AddColumns("VIP", "outcome", "total", "rate");
        foreach (MetricSample sample in samples)
        {
            table.AddRow(Markup.Escape(sample.Label("vip")), sample.Label("outcome"),
                sample.Value.ToString("F0", CultureInfo.InvariantCulture), StatsView.Pps(now.Rate(earlier, sample)));
        }
        table.Columns[2].RightAligned();
        table.Columns[3].RightAligned();
        return table;
    }

    /// <summary>The VIP's counts by outcome, for <c>forwarder stats --json</c>; null unless it is a quic VIP.</summary>
    public static IReadOnlyDictionary<string, long>? Counts(MetricsReading now, string vip)
    {
        var counts = now.Samples(Family).Where(s => s.Label("vip") == vip).ToDictionary(s => s.Label("outcome"), s => (long)s.Value);
        return counts.Count == 0 ? null : counts;
    }
}
