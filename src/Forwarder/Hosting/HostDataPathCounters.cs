using Forwarder.Metrics;
using Forwarder.Steering;

namespace Forwarder.Hosting;

/// <summary>The counters of a running <see cref="ForwarderHost"/>: its queues' workers and its XDP program.</summary>
public sealed class HostDataPathCounters(ForwarderHost host) : IDataPathCounters
{
    public string InterfaceName => host.Interface.Name;

    public IReadOnlyList<QueueStats> ReadQueues() => host.Queues.Select(q => q.ReadStats()).ToArray();

    public RedirectCounters ReadRedirectCounters() => host.ReadRedirectCounters();

    public IReadOnlyList<XskSocketReading> ReadSockets() => host.Queues.Select(q => q.ReadSocketStatistics()).ToArray();

    public HostAddresses.HostAddressReading ReadHostAddresses() => host.HostAddresses?.Read() ?? HostAddresses.HostAddressReading.None;

    public IReadOnlyList<ConnectionTableReading> ReadConnectionTables() =>
        host.ConnectionTables.Select((t, i) => Plus(new ConnectionTableReading(host.Queues[i].Assignment.Queue, t.Capacity, t.Count, t.Hits, t.Misses, t.Evictions, t.Expired,
            t.SynMisses, t.NonSynMisses, t.NewEntries.Refused), i < host.CarriedTables.Length ? host.CarriedTables[i] : null)).ToArray();

    /// <summary>A reading with the counts an upgrade's predecessor carried over added (occupancy is the table's own).</summary>
    private static ConnectionTableReading Plus(ConnectionTableReading own, ConnectionTableReading? carried) => carried is not { } c ? own : own with
    {
        Hits = own.Hits + c.Hits, Misses = own.Misses + c.Misses, Evictions = own.Evictions + c.Evictions, Expired = own.Expired + c.Expired,
        SynMisses = own.SynMisses + c.SynMisses, NonSynMisses = own.NonSynMisses + c.NonSynMisses, RateLimited = own.RateLimited + c.RateLimited,
    };
}
