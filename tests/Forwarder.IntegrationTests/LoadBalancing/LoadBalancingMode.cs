namespace Forwarder.IntegrationTests.LoadBalancing;

/// <summary>How the forwarder sends a VIP's packets to its backends (the configuration's <c>mode</c>).</summary>
public enum LoadBalancingMode
{
    /// <summary>Encapsulated in IPv4 to the router, which routes the outer packet to the backend; the backend decapsulates in XDP.</summary>
    Ipip,

    /// <summary>Unchanged, to the backend's MAC on the shared segment.</summary>
    DsrL2,

    /// <summary>In IPv4 + UDP to port 6080, from lb's address, to the router, which routes it to the backend; the backend decapsulates in XDP.</summary>
    Gue,

    /// <summary>Destination rewritten to the backend; its replies come back through the forwarder, which restores the VIP as their source.</summary>
    Nat,
}
