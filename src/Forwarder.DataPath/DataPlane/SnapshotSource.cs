namespace Forwarder.DataPlane;

/// <summary>
/// Where workers find the current <see cref="ForwardingSnapshot"/>. The control plane publishes a new
/// one whole; each worker reads it once per batch, so a batch is processed under one snapshot and
/// nothing is ever changed under a worker's feet.
/// </summary>
public sealed class SnapshotSource
{
    private ForwardingSnapshot _current;
    private HostAddressSet _hostAddresses = HostAddressSet.Empty;

    public SnapshotSource(ForwardingSnapshot initial)
    {
        ArgumentNullException.ThrowIfNull(initial);
        _current = initial;
        WorkerCount = initial.Counters.Length;
    }

    /// <summary>Workers reading this source; every snapshot published has counters for each of them.</summary>
    public int WorkerCount { get; }

    public ForwardingSnapshot Current => Volatile.Read(ref _current);

    /// <summary>This host's own addresses, published apart from the snapshot (they change with the interfaces, not the configuration); read once per batch.</summary>
    public HostAddressSet HostAddresses => Volatile.Read(ref _hostAddresses);

    public void PublishHostAddresses(HostAddressSet next)
    {
        ArgumentNullException.ThrowIfNull(next);
        Volatile.Write(ref _hostAddresses, next);
    }

    public void Publish(ForwardingSnapshot next)
    {
        ArgumentNullException.ThrowIfNull(next);
        if (next.Counters.Length != WorkerCount)
            throw new ArgumentException($"the snapshot has counters for {next.Counters.Length} workers, but {WorkerCount} read it", nameof(next));
        Volatile.Write(ref _current, next);
    }
}
