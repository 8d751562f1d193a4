using System.Text.Json.Serialization;

namespace Forwarder.Api;

/// <summary>One VIP in <c>GET /status</c>: what it matches, its Maglev table's digest and size, its traffic and backends.</summary>
public sealed record VipStatus(string Vip, string Address, int Port, string Protocol, string Mode, string Digest, int RingSize,
    long Packets, long Bytes, IReadOnlyList<BackendStatus> Backends)
{
    /// <summary>A quic VIP's connection-id routing counts by name (cid_routed, maglev_routed, ...); absent for other VIPs.</summary>
    public IReadOnlyDictionary<string, long>? Quic { get; init; }

    /// <summary>Packets refused as <c>source_not_allowed</c> since the start; null (written as null) for a VIP without allowed sources.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public long? SourceNotAllowed { get; init; }
}
