using Forwarder.Hosting;

namespace Forwarder.Metrics;

/// <summary>The counters of a running <see cref="ForwarderHost"/>: its queues' workers and its XDP program.</summary>
public sealed class HostDataPathCounters(ForwarderHost host) : IDataPathCounters
{
    public string InterfaceName => host.Interface.Name;

    public IReadOnlyList<QueueStats> ReadQueues() => host.Queues.Select(QueueStats.Read).ToArray();

    public RedirectCounters ReadRedirectCounters() => host.ReadRedirectCounters();
}
