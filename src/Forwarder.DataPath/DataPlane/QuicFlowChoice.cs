using Forwarder.Packets;

namespace Forwarder.DataPlane;

/// <summary>
/// What <see cref="FlowDecision.DecideQuic"/> found for a short-header packet of one flow to a quic VIP: the
/// connection id as the data path reads it (version, server id), the routing decision, and the backend the packet
/// goes to — the id's backend when routed, else <see cref="Maglev"/>'s (-1: no backend can take traffic).
/// </summary>
public readonly record struct QuicFlowChoice(QuicConnectionId ConnectionId, QuicDecision Decision, FlowChoice Maglev)
{
    /// <summary>The backend id the packet goes to, -1 when it is dropped (<c>no_backend</c>).</summary>
    public int Backend => Decision.Routed ? Decision.Backend : Maglev.Backend;
}
