namespace Forwarder.DataPlane;

/// <summary>
/// The per-VIP counters of a <c>quic</c> VIP's UDP packets (<see cref="LoadBalancerCounters.Quic"/>, one block of
/// <see cref="QuicCounters.PerVip"/> per VIP). Every such packet is counted once as <see cref="CidRouted"/> or
/// <see cref="MaglevRouted"/>; the others say why a packet fell back and which connection-id version it carried.
/// </summary>
public enum QuicCounter
{
    /// <summary>Sent to the live backend its connection id's server id names.</summary>
    CidRouted = 0,

    /// <summary>Sent by Maglev (and the connection table): every packet not routed by connection id.</summary>
    MaglevRouted,

    /// <summary>Long-header Initial or 0-RTT: the connection id is the client's, so Maglev routes it.</summary>
    Initial,

    /// <summary>A server id no backend of the VIP has, nor had.</summary>
    UnknownServerId,

    /// <summary>A server id of a backend that is down or was removed from the VIP.</summary>
    RetiredServerId,

    /// <summary>Connection ids read, by version (v0 carries no server id).</summary>
    CidV0,
    CidV1,
    CidV2,
    CidV3,
}

/// <summary>The layout of <see cref="LoadBalancerCounters.Quic"/>.</summary>
public static class QuicCounters
{
    /// <summary>Counters per VIP.</summary>
    public const int PerVip = (int)QuicCounter.CidV3 + 1;

    /// <summary>The snake_case name operators see (metrics label, stats and status keys).</summary>
    public static string Name(QuicCounter counter) => counter switch
    {
        QuicCounter.CidRouted => "cid_routed",
        QuicCounter.MaglevRouted => "maglev_routed",
        QuicCounter.Initial => "initial",
        QuicCounter.UnknownServerId => "unknown_server_id",
        QuicCounter.RetiredServerId => "retired_server_id",
        QuicCounter.CidV0 => "cid_v0",
        QuicCounter.CidV1 => "cid_v1",
        QuicCounter.CidV2 => "cid_v2",
        QuicCounter.CidV3 => "cid_v3",
        _ => throw new ArgumentOutOfRangeException(nameof(counter)),
    };

    /// <summary>Every counter, in layout order.</summary>
    public static IReadOnlyList<QuicCounter> All { get; } = Enum.GetValues<QuicCounter>();
}
