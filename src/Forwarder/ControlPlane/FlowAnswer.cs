using System.Text.Json.Serialization;

namespace Forwarder.ControlPlane;

/// <summary>
/// Where the published snapshot sends one flow (<see cref="FlowLookup"/>), as <c>GET /flow</c> and
/// <c>forwarder flow --json</c> give it.
/// </summary>
/// <param name="Vip">The VIP matched, as operators write it (<c>10.100.0.1:80/tcp</c>).</param>
/// <param name="HashOptions">The VIP's hash options applied: <c>no_source_port</c>, <c>any_port</c> (destination port hashed as 0), <c>dport_only</c>; empty = both ports hashed.</param>
/// <param name="HashedSourcePort">The client port as it entered the flow hash.</param>
/// <param name="HashedDestinationPort">The VIP port as it entered the flow hash.</param>
/// <param name="Slot">The Maglev slot, <c>hash % ring_size</c>; null without a table.</param>
/// <param name="Backend">The backend in that slot; null when no backend can take traffic (the packets are dropped as <c>no_backend</c>).</param>
/// <param name="Queue">Which worker's queue the flow reaches: not knowable here (the NIC's RSS hash picks it), hence every table is read.</param>
/// <param name="ConnectionTables">Connection tables read (one per worker); 0 when the forwarder runs stateless.</param>
/// <param name="Connections">The entries found for this flow, by queue.</param>
/// <param name="Quic">Where a QUIC short-header packet of the flow with the connection id asked about goes; null when none was asked.</param>
public sealed record FlowAnswer(long TableVersion, string Client, string Vip, string Protocol, string Mode, string Digest, int RingSize,
    IReadOnlyList<string> HashOptions, int HashedSourcePort, int HashedDestinationPort, uint FlowHash, string FlowHashHex, int? Slot,
    FlowBackend? Backend, string Queue, int ConnectionTables, IReadOnlyList<FlowConnection> Connections, IReadOnlyList<string> Notes,
    FlowQuic? Quic = null);

/// <summary>
/// Where a QUIC short-header packet of the flow whose destination connection id is <paramref name="Cid"/> (lowercase hex)
/// goes, as the workers decide it: the id's version (0..3) and server id (null: it carries none), the
/// <paramref name="Outcome"/> under its <c>forwarder_quic_packets_total</c> name (<c>cid_routed</c>, or why Maglev
/// decides: <c>unknown_server_id</c>, <c>retired_server_id</c>, <c>maglev_routed</c> for no server id), and the
/// <paramref name="Backend"/> the packet goes to: the id's backend when routed, else the Maglev choice (null: dropped, <c>no_backend</c>).
/// </summary>
public sealed record FlowQuic(string Cid, int CidVersion,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] uint? ServerId, string Outcome, FlowBackend? Backend);

/// <summary>A backend of the VIP: its address (and port), its configured weight and its health.</summary>
public sealed record FlowBackend(string Address, int? Port, uint Weight, string Health, int Id);

/// <summary>
/// The connection-table entry of the flow in the table of the worker serving <paramref name="Queue"/>:
/// <paramref name="State"/> <c>live</c> (within its idle timeout), <c>expired</c>, or <c>unsettled</c> (the worker
/// changed it throughout the reading); the backend remembered; and where the next packet of the flow that is not
/// a TCP SYN goes on that worker (the remembered backend while it is configured and not down, else the Maglev choice).
/// </summary>
public sealed record FlowConnection(int Queue, string State, string? Remembered, double? IdleSeconds, string? NextPacket);
