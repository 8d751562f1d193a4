using Forwarder.ControlPlane;
using Forwarder.DataPlane;
using Forwarder.Metrics;

namespace Forwarder.Hosting;

/// <summary>
/// The counters an upgrade's successor goes on from, beyond the workers' own: per-VIP and per-backend totals (QUIC counts and refused sources
/// included), the answers the forwarder gave itself, and each worker's connection-table counters, in queue order.
/// </summary>
public sealed record CarriedCounters(IReadOnlyList<VipTotals> Vips, LoadBalancerEventTotals Events, IReadOnlyList<ConnectionTableReading> Tables)
{
    public static readonly CarriedCounters None = new([], new LoadBalancerEventTotals(0, 0, 0), []);
}
