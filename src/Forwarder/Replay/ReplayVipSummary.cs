namespace Forwarder.Replay;

/// <summary>What one VIP forwarded during a replay, with its backends (in the order of its Maglev table's backend ids).</summary>
public sealed record ReplayVipSummary(string Address, ushort Port, string Protocol, string Mode, long Packets, long Bytes, IReadOnlyList<ReplayBackendSummary> Backends)
{
    /// <summary>A quic VIP's connection-id routing counts by name (cid_routed, maglev_routed, ...); absent for other VIPs.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, long>? Quic { get; init; }
}
