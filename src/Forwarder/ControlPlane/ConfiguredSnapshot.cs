using Forwarder.DataPlane;

namespace Forwarder.ControlPlane;

/// <summary>
/// A forwarding snapshot with the configuration of each of its VIP entries, kept beside it by the control
/// plane: the workers read only <see cref="Snapshot"/>; totals, metrics and the API name VIPs and backends
/// through <see cref="Vips"/>.
/// </summary>
public sealed class ConfiguredSnapshot(ForwardingSnapshot snapshot, IReadOnlyList<ConfiguredVip> vips)
{
    public ForwardingSnapshot Snapshot { get; } = snapshot;

    /// <summary>By VIP index: <c>Vips[i].Entry</c> is <c>Snapshot.Vips[i]</c>.</summary>
    public IReadOnlyList<ConfiguredVip> Vips { get; } = vips;

    /// <summary>Forwarded packets and bytes per VIP and backend (and the backends' nat replies), summed over workers.</summary>
    public IReadOnlyList<VipTotals> Totals()
    {
        IReadOnlyList<VipCounts> counts = Snapshot.Counts();
        var totals = new VipTotals[counts.Count];
        for (int v = 0; v < totals.Length; v++)
        {
            VipCounts vip = counts[v];
            ConfiguredVip configured = Vips[vip.Index];
            BackendTotals[] backends = vip.Backends
                .Select(b => new BackendTotals(configured.Backends[b.Backend].Id, b.Packets, b.Bytes, b.ReplyPackets, b.ReplyBytes))
                .ToArray();
            totals[v] = new VipTotals(configured.Config, vip.Packets, vip.Bytes, backends)
            {
                Quic = configured.Config.Quic ? new QuicTotals(Snapshot.QuicCounts(vip.Index)) : null,
                SourceNotAllowed = configured.Config.AllowedSources is null ? null : vip.SourceNotAllowed,
            };
        }
        return totals;
    }

    public LoadBalancerEventTotals EventTotals() => Snapshot.EventTotals();
}
