namespace Forwarder.Api;

/// <summary>
/// <c>GET /status</c>: the table version, the interface and its queues, every VIP with its Maglev table's
/// digest and its backends, changes refused, backends marked down, faults of the API itself, and the liveness
/// device's state (null without one).
/// </summary>
public sealed record StatusReply(long Version, string Interface, IReadOnlyList<QueueStatus> Queues, IReadOnlyList<VipStatus> Vips,
    long RefusedChanges, IReadOnlyList<DownBackendStatus> DownBackends, long ApiFaults)
{
    /// <summary>What the node offers its BIRD to announce; absent without an <c>announce</c> section.</summary>
    public AnnounceStatus? Announce { get; init; }

    /// <summary>The liveness device's state; absent without <c>--liveness-device</c>.</summary>
    public LivenessStatus? Liveness { get; init; }
}
