using Forwarder.Configuration;

namespace Forwarder.ControlPlane;

/// <summary>A VIP's forwarded packets and bytes, summed over workers, with its backends'.</summary>
public sealed record VipTotals(VipConfig Vip, long Packets, long Bytes, IReadOnlyList<BackendTotals> Backends)
{
    /// <summary>A quic VIP's connection-id routing counts; null for other VIPs.</summary>
    public QuicTotals? Quic { get; init; }

    /// <summary>Packets refused as <c>source_not_allowed</c>; null for a VIP without allowed sources.</summary>
    public long? SourceNotAllowed { get; init; }
}
