namespace Forwarder.Announce;

/// <summary>What <c>/status</c> and <c>/metrics</c> show of announcing, read in one go from the <see cref="Announcer"/>.</summary>
public sealed record AnnounceReading(
    AnnounceState State,
    bool BirdConfirmed,
    string? LastError,
    IReadOnlyList<VipDecision> Vips,
    IReadOnlyList<BirdProtocol> Protocols,
    IReadOnlyDictionary<BirdErrorKind, long> Errors,
    string BirdSocket,
    string IncludeFile)
{
    /// <summary>Whether <paramref name="vip"/> is routed to this node now: allowed by the policy, in a file BIRD took.</summary>
    public bool IsAnnounced(VipDecision vip) => vip.Allowed && BirdConfirmed;

    /// <summary>Counts of errors by kind, every kind present (zeros included).</summary>
    public static IReadOnlyDictionary<BirdErrorKind, long> NoErrors { get; } = Enum.GetValues<BirdErrorKind>().ToDictionary(k => k, _ => 0L);
}
