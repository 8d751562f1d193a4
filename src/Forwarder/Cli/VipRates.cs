using Forwarder.Metrics;

namespace Forwarder.Cli;

/// <summary>One VIP in <see cref="StatsReport"/>: its table digest, packets (total and rate), bit rate and backends.</summary>
public sealed record VipRates(string Vip, string Digest, long Packets, double Pps, double BitsPerSecond, IReadOnlyList<BackendRates> Backends)
{
    /// <summary>A quic VIP's connection-id routing totals by outcome; absent for other VIPs.</summary>
    public IReadOnlyDictionary<string, long>? Quic { get; init; }

    internal static VipRates From(MetricsReading earlier, MetricsReading now, MetricSample vip)
    {
        (string, string) v = ("vip", vip.Label("vip"));
        return new VipRates(
            v.Item2,
            now.Samples("forwarder_vip_table_info").FirstOrDefault(i => i.Label("vip") == v.Item2)?.Label("digest") ?? "",
            (long)vip.Value,
            StatsReport.Rounded(now.Rate(earlier, vip)),
            StatsReport.Rounded(8 * now.Rate(earlier, "forwarder_vip_bytes_total", v)),
            now.Samples("forwarder_backend_packets_total").Where(b => b.Label("vip") == v.Item2)
                .Select(b => BackendRates.From(earlier, now, v, b)).ToArray())
        {
            Quic = QuicStatsTable.Counts(now, v.Item2),
        };
    }
}
