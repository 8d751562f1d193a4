using Forwarder.Packets;
using Forwarder.Rewrite;

namespace Forwarder.DataPlane;

/// <summary>Everything the data path needs to send a packet to one backend of one VIP, precomputed.</summary>
public readonly struct BackendEntry
{
    public required WireAddress Address { get; init; }

    public required IpVersion Version { get; init; }

    /// <summary>Where frames go: the router (ipip, gue, nat) or the backend itself (dsr-l2), from our own MAC.</summary>
    public required EthernetAddresses Macs { get; init; }

    /// <summary>Bytes the VIP's mode adds in front of the packet (0 for dsr-l2 and nat).</summary>
    public required int Overhead { get; init; }

    /// <summary>nat: the port (host order) packets are rewritten to; 0 keeps the VIP's.</summary>
    public ushort NatPort { get; init; }

    /// <summary>gue: the outer source address for this backend's family.</summary>
    public WireAddress GueSource { get; init; }

    /// <summary>
    /// Marked down by health checks: in no table, and connections remembered on it move at once. A
    /// configured, healthy backend keeps its connections whatever its weight (weight 0 drains: no new
    /// flows, established ones stay).
    /// </summary>
    public bool Down { get; init; }

    /// <summary>This backend's slot in the per-backend counters of the snapshot.</summary>
    public required int CounterIndex { get; init; }
}
