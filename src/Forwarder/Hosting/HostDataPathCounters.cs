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
        host.ConnectionTables.Select((t, i) => new ConnectionTableReading(host.Queues[i].Assignment.Queue, t.Capacity, t.Count, t.Hits, t.Misses, t.Evictions, t.Expired,
            t.SynMisses, t.NonSynMisses, t.NewEntries.Refused)).ToArray();
}
