namespace Forwarder.Configuration;

/// <summary>Per-VIP options that change how flows are hashed. A port-0 ("any port") VIP needs no flag: its port says so.</summary>
[Flags]
public enum VipFlags
{
    None = 0,

    /// <summary>Hash every flow with source port 0, so all connections of one client reach the same backend.</summary>
    NoSourcePort = 1,

    /// <summary>
    /// Hash only the destination port (Katran's <c>F_HASH_DPORT_ONLY</c>): every flow to one port reaches the same
    /// backend, whichever client sent it. Excludes the other two.
    /// </summary>
    DestinationPortOnly = 2,

    /// <summary>
    /// Hash the destination port of a port-0 VIP as it is, not as 0 (Katran's <c>F_HASH_SRC_DST_PORT</c>): a client's
    /// connections to different ports may reach different backends. A VIP with a port hashes both ports anyway.
    /// </summary>
    SourceAndDestinationPort = 4,
}
