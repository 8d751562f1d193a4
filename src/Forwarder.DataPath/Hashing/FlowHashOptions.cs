namespace Forwarder.Hashing;

/// <summary>Per-VIP choices of which ports enter the flow hash (Katran's VIP flags).</summary>
[Flags]
public enum FlowHashOptions : byte
{
    /// <summary>Hash source and destination port as they are on the wire.</summary>
    None = 0,

    /// <summary>Hash the source port as 0 (Katran's "no source port" VIP flag, <c>F_HASH_NO_SRC_PORT</c>).</summary>
    ZeroSourcePort = 1,

    /// <summary>Hash the destination port as 0: a port-0 ("any port") VIP.</summary>
    ZeroDestinationPort = 2,
}
