namespace Forwarder.Announce;

/// <summary>What the node offers BIRD to announce; the value is <c>forwarder_announce_state</c>.</summary>
public enum AnnounceState
{
    /// <summary>Nothing offered yet: the hold-down after start is running.</summary>
    Off = 0,

    /// <summary>BIRD took an include file with at least one VIP.</summary>
    Announcing = 1,

    /// <summary>BIRD took an include file with no VIP: none passes the policy, or the node is draining.</summary>
    Withdrawn = 2,

    /// <summary>BIRD has not taken the current include file (missing, unreachable, refused it); it announces what it last took.</summary>
    Unconfirmed = 3,
}
