using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Forwarder.Configuration;
using Forwarder.DataPlane;
using Forwarder.ControlPlane;
using Forwarder.Steering;
using Forwarder.Metrics;

namespace Forwarder.Hosting;

/// <summary>
/// Reads every worker's counters and the XDP program's counters and prints live per-queue rates, and
/// at the end one <c>FINAL {json}</c> line with the totals. Runs on the main thread, never in a worker.
/// <c>forwarder run</c> hands it the fail-safe console (<see cref="ConsoleOutput"/>): a line that cannot be
/// written (a full disk) is counted and dropped, and forwarding goes on.
/// </summary>
public sealed class StatsReporter(ForwarderHost host, TextWriter output)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private IReadOnlyList<QueueStats> _last = host.Queues.Select(q => q.ReadStats()).ToArray();
    private RedirectCounters _lastXdp = host.ReadRedirectCounters();
    private IReadOnlyList<VipTotals> _lastVips = host.Runtime?.Totals() ?? [];
    private TimeSpan _lastAt = TimeSpan.Zero;

    /// <summary>Prints one line of rates since the previous call.</summary>
    public void PrintRates()
    {
        TimeSpan now = _clock.Elapsed;
        double seconds = Math.Max((now - _lastAt).TotalSeconds, 1e-6);
        IReadOnlyList<QueueStats> current = host.Queues.Select(q => q.ReadStats()).ToArray();
        RedirectCounters xdp = host.ReadRedirectCounters();
        var line = new StringBuilder();
        line.Append(CultureInfo.InvariantCulture, $"[{now.TotalSeconds,6:F1}s]");
        for (int i = 0; i < current.Count; i++)
        {
            QueueStats c = current[i], p = _last[i];
            line.Append(CultureInfo.InvariantCulture,
                $" q{c.Queue} rx {Rate(c.Rx - p.Rx, seconds)} tx {Rate(c.Tx - p.Tx, seconds)} drop {Rate(c.Drops - p.Drops, seconds)} |");
        }
        line.Append(CultureInfo.InvariantCulture,
            $" xdp redirected {Rate((long)(xdp.Redirected - _lastXdp.Redirected), seconds)} passed {Rate((long)(xdp.Passed - _lastXdp.Passed), seconds)}");
        output.WriteLine(line.ToString());
        if (host.Runtime is { } runtime)
            PrintBackendRates(runtime.Totals(), now, seconds);
        output.Flush();
        _last = current;
        _lastXdp = xdp;
        _lastAt = now;
    }

    /// <summary>One line per VIP: each backend's forwarded packet rate and total since the start.</summary>
    private void PrintBackendRates(IReadOnlyList<VipTotals> vips, TimeSpan now, double seconds)
    {
        for (int v = 0; v < vips.Count; v++)
        {
            VipTotals vip = vips[v];
            VipTotals? previous = _lastVips.FirstOrDefault(p => ControlPlane.VipIdentity.Of(p.Vip) == ControlPlane.VipIdentity.Of(vip.Vip));
            var line = new StringBuilder();
            line.Append(CultureInfo.InvariantCulture, $"[{now.TotalSeconds,6:F1}s] vip {VipName(vip.Vip)}");
            if (vip.Backends.Count == 0)
                line.Append(" no backends");
            for (int b = 0; b < vip.Backends.Count; b++)
            {
                BackendTotals backend = vip.Backends[b];
                long before = previous?.Backends.FirstOrDefault(p => p.Backend == backend.Backend)?.Packets ?? 0;
                line.Append(CultureInfo.InvariantCulture, $" | {backend.Backend} {Rate(backend.Packets - before, seconds)} ({backend.Packets})");
            }
            output.WriteLine(line.ToString());
        }
        _lastVips = vips;
    }

    private static string VipName(VipConfig vip) =>
        $"{(vip.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{vip.Address}]" : vip.Address)}:" +
        $"{(vip.Port == 0 ? "*" : vip.Port)}/{ConfigNames.Of(ConfigNames.Protocols, vip.Protocol)}";

    /// <summary>The final report: one line, <c>FINAL</c> and a JSON object.</summary>
    /// <param name="drain">How the drain before the stop went (a <c>drain</c> field); null when there was none.</param>
    public void PrintFinal(Liveness.DrainSummary? drain = null)
    {
        var queues = host.Queues.Select(w => (Stats: w.ReadStats(), Socket: w.ReadSocketStatistics())).Select(r => new
        {
            r.Stats.Queue, r.Stats.Core, r.Stats.Rx, r.Stats.RxBytes, r.Stats.Tx, r.Stats.TxBytes, r.Stats.Drops, r.Stats.DropReasons, r.Stats.Batches, r.Stats.EmptyPolls,
            r.Stats.TxWakeups, r.Stats.TxWakeupsAgain, r.Stats.TxWakeupErrors, r.Stats.RxWakeups, r.Stats.IdleWaits,
            Xsk = XskTotals.Of(r.Socket),
        });
        RedirectCounters x = host.ReadRedirectCounters();
        var report = new
        {
            Queues = queues,
            Xdp = new { x.Seen, x.Redirected, x.Passed, x.Malformed, x.NoSocket, x.HostPassed },
            Seconds = Math.Round(_clock.Elapsed.TotalSeconds, 3),
            LoadBalancing = host.Runtime is { } runtime ? LoadBalancingReport(runtime) : null,
            FlowTable = FlowTableReport(host.ConnectionTables),
        };
        System.Text.Json.Nodes.JsonObject final = JsonSerializer.SerializeToNode(report, Json)!.AsObject();
        if (drain is not null)
            final["drain"] = JsonSerializer.SerializeToNode(new { drain.Trigger, drain.Seconds, Ended = drain.EndedName }, Json);
        output.WriteLine("FINAL " + final.ToJsonString(Json));
        output.Flush();
    }

    /// <summary>The connection tables summed over workers; null without <c>--flow-table</c>.</summary>
    private static object? FlowTableReport(IReadOnlyList<FlowTable.ConnectionTable> tables) => tables.Count == 0 ? null : new
    {
        Entries = tables.Sum(t => t.Count),
        Capacity = tables.Sum(t => (long)t.Capacity),
        Hits = tables.Sum(t => t.Hits),
        Misses = tables.Sum(t => t.Misses),
        SynMisses = tables.Sum(t => t.SynMisses),
        NonSynMisses = tables.Sum(t => t.NonSynMisses),
        Evictions = tables.Sum(t => t.Evictions),
        Expired = tables.Sum(t => t.Expired),
        RateLimited = tables.Sum(t => t.NewEntries.Refused),
    };

    private static object LoadBalancingReport(ControlPlane.ForwarderRuntime runtime)
    {
        ControlPlane.ConfiguredSnapshot published = runtime.Published;
        ForwardingSnapshot snapshot = published.Snapshot;
        LoadBalancerEventTotals events = runtime.EventTotals();
        return new
        {
            TableVersion = snapshot.Version,
            events.EchoReplies,
            events.TooBigAnswered,
            events.NatReplies,
            Vips = runtime.Totals().Select(vip => new
            {
                Vip = VipName(vip.Vip),
                Mode = ConfigNames.Of(ConfigNames.Modes, vip.Vip.Mode),
                Digest = published.Vips.FirstOrDefault(e => ControlPlane.VipIdentity.Of(e.Config) == ControlPlane.VipIdentity.Of(vip.Vip))?.Entry.Digest ?? "none",
                vip.Packets,
                vip.Bytes,
                Quic = vip.Quic?.ByName(),
                SourceNotAllowed = vip.SourceNotAllowed, // null for a VIP without allowed_sources
                Backends = vip.Backends.Select(b => new { Address = b.Address.ToString(), b.Backend.Port, b.Packets, b.Bytes, b.ReplyPackets, b.ReplyBytes }),
            }),
        };
    }

    private static string Rate(long count, double seconds)
    {
        double pps = count / seconds;
        return pps switch
        {
            >= 1e6 => string.Create(CultureInfo.InvariantCulture, $"{pps / 1e6,6:F2} Mpps"),
            >= 1e3 => string.Create(CultureInfo.InvariantCulture, $"{pps / 1e3,6:F1} kpps"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{pps,6:F0}  pps"),
        };
    }
}
