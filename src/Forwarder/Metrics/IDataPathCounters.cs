using Forwarder.Steering;

namespace Forwarder.Metrics;

/// <summary>
/// Where the data path's counters are read: each queue's worker counters and the XDP program's. Readings
/// are taken on the caller's thread (the API's, never a worker's), by reading counters the workers write.
/// </summary>
public interface IDataPathCounters
{
    /// <summary>The interface served, e.g. <c>eth0</c>.</summary>
    string InterfaceName { get; }

    /// <summary>One reading per queue served, in the order the queues were given.</summary>
    IReadOnlyList<QueueStats> ReadQueues();

    RedirectCounters ReadRedirectCounters();

    /// <summary>One reading per worker's connection table, in queue order; none when the forwarder runs stateless.</summary>
    IReadOnlyList<ConnectionTableReading> ReadConnectionTables() => [];

    /// <summary>The kernel's counters of each queue's AF_XDP socket, in queue order; read on the caller's thread (getsockopt), never the worker's.</summary>
    IReadOnlyList<XskSocketReading> ReadSockets() => [];

    /// <summary>The host's own addresses as the XDP program knows them, and how following them went.</summary>
    HostAddresses.HostAddressReading ReadHostAddresses() => HostAddresses.HostAddressReading.None;
}

/// <summary>
/// A connection table's occupancy and activity at an instant; of the misses, TCP SYNs and other TCP packets apart,
/// and the new flows not remembered for the per-second limit.
/// </summary>
public sealed record ConnectionTableReading(int Queue, long Capacity, long Entries, long Hits, long Misses, long Evictions, long Expired,
    long SynMisses = 0, long NonSynMisses = 0, long RateLimited = 0);
