namespace Forwarder.HostAddresses;

/// <summary>The host-address watcher at an instant: addresses known, syncs done, failures met (each logged).</summary>
public sealed record HostAddressReading(int Addresses, long Syncs, long Failures)
{
    /// <summary>No watcher runs (plain L2 forwarding).</summary>
    public static readonly HostAddressReading None = new(0, 0, 0);
}
