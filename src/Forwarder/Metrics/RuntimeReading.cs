using Forwarder.Configuration;
using Forwarder.ControlPlane;
using Forwarder.DataPlane;

namespace Forwarder.Metrics;

/// <summary>
/// What <c>/status</c> and <c>/metrics</c> report of the running configuration, read in one go: the table
/// version, every VIP with its digest and backends (in the configuration's order), the totals forwarded,
/// refused changes and the backends marked down. Counters are summed over workers by
/// <see cref="ForwarderRuntime.Totals"/>. Backends are told apart by <see cref="BackendId"/>: a nat VIP
/// may list one address with several ports, each with its own health and counters.
/// </summary>
public sealed record RuntimeReading(long Version, IReadOnlyList<VipReading> Vips, long RefusedChanges,
    IReadOnlyList<(VipIdentity Vip, BackendId Backend)> DownBackends, LoadBalancerEventTotals Events)
{
    /// <summary>Maglev tables computed since start (see <see cref="ForwarderRuntime.TablesBuilt"/>).</summary>
    public long TablesBuilt { get; init; }

    /// <summary>VIP tables reused instead of computed (see <see cref="ForwarderRuntime.TablesReused"/>).</summary>
    public long TablesReused { get; init; }

    public static RuntimeReading Read(ForwarderRuntime runtime)
    {
        ConfiguredSnapshot published = runtime.Published;
        ForwardingSnapshot snapshot = published.Snapshot;
        ForwarderConfig config = runtime.Config;
        IReadOnlyList<(VipIdentity Vip, BackendId Backend)> down = runtime.DownBackends;
        var downSet = down.ToHashSet();
        Dictionary<VipIdentity, VipTotals> totals = runtime.Totals().ToDictionary(t => VipIdentity.Of(t.Vip));
        Dictionary<VipIdentity, VipEntry> entries = published.Vips.ToDictionary(v => VipIdentity.Of(v.Config), v => v.Entry);

        var vips = new List<VipReading>(config.Vips.Count);
        foreach (VipConfig vip in config.Vips)
        {
            VipIdentity id = VipIdentity.Of(vip);
            VipTotals? total = totals.GetValueOrDefault(id);
            VipEntry? entry = entries.GetValueOrDefault(id);
            var backends = vip.Backends.Select(b =>
            {
                BackendTotals? forwarded = total?.Backends.FirstOrDefault(t => t.Backend == b.Id);
                return new BackendReading(b.Address, b.Port, b.Weight, !downSet.Contains((id, b.Id)), forwarded?.Packets ?? 0, forwarded?.Bytes ?? 0,
                    forwarded?.ReplyPackets ?? 0, forwarded?.ReplyBytes ?? 0);
            }).ToArray();
            vips.Add(new VipReading(id, vip.Mode, entry?.Digest ?? "none", entry?.RingSize ?? 0, total?.Packets ?? 0, total?.Bytes ?? 0, backends)
            {
                Quic = vip.Quic ? total?.Quic ?? new QuicTotals(new long[QuicCounters.PerVip]) : null,
                SourceNotAllowed = vip.AllowedSources is null ? null : total?.SourceNotAllowed ?? 0,
            });
        }
        return new RuntimeReading(snapshot.Version, vips, runtime.RefusedChanges, down, runtime.EventTotals())
        {
            TablesBuilt = runtime.TablesBuilt,
            TablesReused = runtime.TablesReused,
        };
    }
}
