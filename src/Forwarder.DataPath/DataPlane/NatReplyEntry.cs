using Forwarder.Packets;
using Forwarder.Rewrite;

namespace Forwarder.DataPlane;

/// <summary>A <c>nat</c> backend's replies: whose VIP they are rewritten back to, and where they go.</summary>
public readonly struct NatReplyEntry
{
    public required WireAddress Vip { get; init; }

    /// <summary>The VIP's port (host order) written as the reply's source port; 0 keeps it (a port-0 VIP).</summary>
    public required ushort VipPort { get; init; }

    /// <summary>To the router, from our own MAC.</summary>
    public required EthernetAddresses Macs { get; init; }

    public required int VipIndex { get; init; }

    public required int BackendCounterIndex { get; init; }
}
