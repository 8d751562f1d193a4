namespace Forwarder.Hashing;

/// <summary>Per-VIP choices of which parts of a flow enter the hash (Katran's VIP flags).</summary>
[Flags]
public enum FlowHashOptions : byte
{
    /// <summary>Hash source and destination port as they are on the wire.</summary>
    None = 0,

    /// <summary>Hash the source port as 0 (Katran's "no source port" VIP flag, <c>F_HASH_NO_SRC_PORT</c>).</summary>
    ZeroSourcePort = 1,

    /// <summary>Hash the destination port as 0: a port-0 ("any port") VIP.</summary>
    ZeroDestinationPort = 2,

    /// <summary>
    /// Hash only the destination port (Katran's <c>F_HASH_DPORT_ONLY</c>): the source address is hashed as all
    /// zeroes and the source port as a copy of the destination port, so every flow to one port reaches one backend.
    /// Applied after <see cref="ZeroSourcePort"/>, which it overrides, as in Katran.
    /// </summary>
    DestinationPortOnly = 4,
}
