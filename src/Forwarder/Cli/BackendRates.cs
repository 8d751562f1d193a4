using Forwarder.Metrics;

namespace Forwarder.Cli;

/// <summary>
/// One backend of a VIP in <see cref="StatsReport"/>: health (<c>up</c> or <c>down</c>), weight, packets sent to
/// it (total and rate), bit rate, and under <c>nat</c> its replies rewritten back to the VIP (total and rate).
/// </summary>
public sealed record BackendRates(string Backend, string Health, uint Weight, long Packets, double Pps, double BitsPerSecond,
    long ReplyPackets, double ReplyPps)
{
    internal static BackendRates From(MetricsReading earlier, MetricsReading now, (string, string) vip, MetricSample backend)
    {
        (string, string) b = ("backend", backend.Label("backend"));
        return new BackendRates(
            b.Item2,
            now.Value("forwarder_backend_up", vip, b) > 0 ? "up" : "down",
            (uint)now.Value("forwarder_backend_weight", vip, b),
            (long)backend.Value,
            StatsReport.Rounded(now.Rate(earlier, backend)),
            StatsReport.Rounded(8 * now.Rate(earlier, "forwarder_backend_bytes_total", vip, b)),
            (long)now.Value("forwarder_backend_reply_packets_total", vip, b),
            StatsReport.Rounded(now.Rate(earlier, "forwarder_backend_reply_packets_total", vip, b)));
    }
}
