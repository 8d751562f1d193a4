using Forwarder.ControlPlane;
using Forwarder.Packets;

namespace Forwarder.Metrics;

/// <summary>One VIP at an instant: its Maglev table's digest and size, and what was forwarded since the start.</summary>
public sealed record VipReading(VipIdentity Vip, ForwardingMode Mode, string Digest, int RingSize, long Packets, long Bytes,
    IReadOnlyList<BackendReading> Backends)
{
    /// <summary>A quic VIP's connection-id routing counts since the start; null for other VIPs.</summary>
    public ControlPlane.QuicTotals? Quic { get; init; }

    /// <summary>Packets refused as <c>source_not_allowed</c> since the start; null for a VIP without allowed sources.</summary>
    public long? SourceNotAllowed { get; init; }
}
