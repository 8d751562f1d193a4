using System.Globalization;
using Forwarder.Configuration;
using Forwarder.ControlPlane;
using Forwarder.DataPlane;
using Forwarder.Metrics;

namespace Forwarder.Hosting.Upgrade;

/// <summary>
/// The lines that carry a predecessor's totals to its successor, sent once it said <c>running</c> (off the forwarding
/// gap): <c>vip VIP PACKETS BYTES [QUIC...]</c>, <c>backend VIP BACKEND PACKETS BYTES REPLY_PACKETS REPLY_BYTES</c>,
/// <c>refused VIP COUNT</c> (a VIP with allowed sources: packets dropped as <c>source_not_allowed</c>),
/// <c>events ECHO TOO_BIG NAT</c>, <c>table QUEUE HITS MISSES EVICTIONS EXPIRED SYN_MISSES NON_SYN_MISSES RATE_LIMITED</c>,
/// then <c>end</c>. A line kind is never given new fields a reader of another version would misread: a new figure gets a
/// new kind (an older successor skips it; a newer one from an older predecessor starts that figure at 0). VIPs and backends are named as operators write them and matched by name: one the successor does
/// not serve is dropped; a line it cannot read (another version's) is skipped and counted; missing values are 0.
/// </summary>
public static class CarriedTotals
{
    public static List<string> Format(CarriedCounters counters)
    {
        var lines = new List<string>();
        foreach (VipTotals vip in counters.Vips)
        {
            string id = VipIdentity.Of(vip.Vip).ToString();
            string quic = vip.Quic is { } q ? " " + string.Join(' ', QuicCounters.All.Select(c => q[c])) : "";
            lines.Add(FormattableString.Invariant($"vip {id} {vip.Packets} {vip.Bytes}{quic}"));
            foreach (BackendTotals backend in vip.Backends)
                lines.Add(FormattableString.Invariant($"backend {id} {backend.Backend} {backend.Packets} {backend.Bytes} {backend.ReplyPackets} {backend.ReplyBytes}"));
            if (vip.SourceNotAllowed is { } refused)
                lines.Add(FormattableString.Invariant($"refused {id} {refused}"));
        }
        LoadBalancerEventTotals events = counters.Events;
        lines.Add(FormattableString.Invariant($"events {events.EchoReplies} {events.TooBigAnswered} {events.NatReplies}"));
        foreach (ConnectionTableReading t in counters.Tables)
            lines.Add(FormattableString.Invariant($"table {t.Queue} {t.Hits} {t.Misses} {t.Evictions} {t.Expired} {t.SynMisses} {t.NonSynMisses} {t.RateLimited}"));
        lines.Add(UpgradeMessages.End);
        return lines;
    }

    /// <summary>Reads the lines up to <c>end</c> (or until they stop) for the VIPs of <paramref name="vips"/>; never throws for the lines' sake.</summary>
    /// <param name="skipped">Lines not read (malformed, another version's, or naming what this process does not serve).</param>
    public static CarriedCounters Read(Func<string?> next, IReadOnlyList<VipConfig> vips, out int skipped, out bool ended)
    {
        Dictionary<string, VipConfig> known = vips.ToDictionary(v => VipIdentity.Of(v).ToString(), StringComparer.Ordinal);
        var sums = new Dictionary<string, (long Packets, long Bytes, long[]? Quic)>(StringComparer.Ordinal);
        var backends = new Dictionary<string, List<BackendTotals>>(StringComparer.Ordinal);
        var refusals = new Dictionary<string, long>(StringComparer.Ordinal);
        var events = new LoadBalancerEventTotals(0, 0, 0);
        var tables = new List<ConnectionTableReading>();
        skipped = 0;
        ended = false;
        for (int lines = 0; lines < 1_000_000; lines++)
        {
            string? line = next();
            if (line is null)
                break;
            if (line == UpgradeMessages.End)
            {
                ended = true;
                break;
            }
            string[] w = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            long[] n = Numbers(w, w.Length > 0 && w[0] == "backend" ? 3 : 2);
            bool read = w.Length > 1 && w[0] switch
            {
                "vip" when known.ContainsKey(w[1]) && !sums.ContainsKey(w[1]) =>
                    Set(() => sums[w[1]] = (At(n, 0), At(n, 1), n.Length > 2 ? n[2..] : null)),
                "backend" when w.Length > 2 && known.TryGetValue(w[1], out VipConfig? vip) && vip.Backends.Any(b => b.Id.ToString() == w[2]) =>
                    Set(() => (backends.TryGetValue(w[1], out var list) ? list : backends[w[1]] = []).Add(
                        new BackendTotals(vip.Backends.First(b => b.Id.ToString() == w[2]).Id, At(n, 0), At(n, 1), At(n, 2), At(n, 3)))),
                "refused" when known.TryGetValue(w[1], out VipConfig? vip) && vip.AllowedSources is not null && !refusals.ContainsKey(w[1]) =>
                    Set(() => refusals[w[1]] = At(n, 0)),
                "events" => Set(() => events = new LoadBalancerEventTotals(At(Numbers(w, 1), 0), At(Numbers(w, 1), 1), At(Numbers(w, 1), 2))),
                "table" when int.TryParse(w[1], NumberStyles.None, CultureInfo.InvariantCulture, out int queue) => Set(() =>
                    tables.Add(new ConnectionTableReading(queue, 0, 0, At(n, 0), At(n, 1), At(n, 2), At(n, 3), At(n, 4), At(n, 5), At(n, 6)))),
                _ => false,
            };
            if (!read)
                skipped++;
        }
        var totals = sums.Select(s =>
        {
            VipConfig vip = known[s.Key];
            return new VipTotals(vip, s.Value.Packets, s.Value.Bytes, backends.GetValueOrDefault(s.Key) ?? [])
            {
                Quic = vip.Quic && s.Value.Quic is { } q ? new QuicTotals(Enumerable.Range(0, QuicCounters.PerVip).Select(i => At(q, i)).ToArray()) : null,
                SourceNotAllowed = Refused(vip, s.Key),
            };
        }).ToList();
        // Backends and refusals of a VIP whose own line did not come are carried all the same.
        foreach (string id in backends.Keys.Union(refusals.Keys).Where(id => !sums.ContainsKey(id)).ToList())
            totals.Add(new VipTotals(known[id], 0, 0, backends.GetValueOrDefault(id) ?? []) { SourceNotAllowed = Refused(known[id], id) });
        return new CarriedCounters(totals, events, tables);

        // A predecessor that wrote no refused line (an older version) carried none: 0.
        long? Refused(VipConfig vip, string id) => vip.AllowedSources is null ? null : refusals.GetValueOrDefault(id);
    }

    private static bool Set(Action apply)
    {
        apply();
        return true;
    }

    /// <summary>The words from <paramref name="first"/> on as counts; a word that is not one counts 0.</summary>
    private static long[] Numbers(string[] words, int first) =>
        words.Skip(first).Select(w => long.TryParse(w, NumberStyles.None, CultureInfo.InvariantCulture, out long v) ? v : 0).ToArray();

    private static long At(long[] values, int index) => index < values.Length ? values[index] : 0;
}
