using Forwarder.Api;

namespace Forwarder.Cli;

/// <summary>
/// What <c>forwarder stats --once --json</c> prints: one reading of <c>/metrics</c> with its rates over the
/// <see cref="Seconds"/> since the reading before it — per queue, the XDP program's counters, per VIP and
/// backend with health, the connection tables summed over queues (<see cref="FlowTableTotals"/>, null without one) — for scripts. Counters are totals since the forwarder started; rates are per second.
/// </summary>
public sealed record StatsReport(string Interface, long TableVersion, double Seconds, XdpRates Xdp, IReadOnlyList<QueueRates> Queues,
    IReadOnlyList<VipRates> Vips, long RefusedChanges, long ApiFaults, FlowTableTotals? FlowTable = null)
{
    /// <summary>The liveness device as <c>GET /status</c> has it (up or down, draining, withdrawn by the watchdog); absent without one.</summary>
    public LivenessStatus? Liveness { get; init; }

    /// <summary>What the node offers BIRD, each VIP announced or not and why, as <c>GET /status</c> has it; absent without an announce section.</summary>
    public AnnounceStatus? Announce { get; init; }

    /// <summary>The report of <paramref name="now"/>, its rates taken against <paramref name="earlier"/>.</summary>
    internal static StatsReport From(MetricsReading earlier, MetricsReading now, StatsNodeState? state = null) => new(
        now.Samples("forwarder_interface_info").FirstOrDefault()?.Label("interface") ?? "",
        (long)now.Value("forwarder_table_version"),
        Math.Round((now.At - earlier.At).TotalSeconds, 3),
        XdpRates.From(earlier, now),
        now.Samples("forwarder_rx_packets_total").Select(rx => QueueRates.From(earlier, now, rx.Label("queue"))).ToArray(),
        now.Samples("forwarder_vip_packets_total").Select(vip => VipRates.From(earlier, now, vip)).ToArray(),
        (long)now.Value("forwarder_refused_changes_total"),
        (long)now.Value("forwarder_api_faults_total"),
        FlowTableTotals.From(now))
    {
        Liveness = state?.Liveness,
        Announce = state?.Announce,
    };

    /// <summary>The report as one JSON document, in the API's spelling (snake_case, indented).</summary>
    public string ToJson() => System.Text.Json.JsonSerializer.Serialize(this, ApiJson.Options);

    /// <summary>A rate as printed: per second, to one decimal.</summary>
    internal static double Rounded(double rate) => Math.Round(rate, 1);
}
