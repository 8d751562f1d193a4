namespace Forwarder.Api;

/// <summary>
/// The answer of <c>GET /flows</c>: the VIP, the limit applied and a sample of at most that many connections its
/// workers' tables remember (<see cref="FlowListEntry"/>); <see cref="Queues"/> tables were read.
/// </summary>
public sealed record FlowListReply(string Vip, int Limit, int Queues, IReadOnlyList<FlowListEntry> Flows);

/// <summary>
/// One remembered connection: the client's address and port, the VIP port it reached, its protocol, the backend it
/// is pinned to (<c>ADDR</c>, or <c>ADDR:PORT</c> for a nat backend), the queue whose table holds it and its age
/// since its last packet (the table keeps when a connection was last seen, not when it began).
/// </summary>
public sealed record FlowListEntry(string Client, int ClientPort, int VipPort, string Protocol, string Backend, int Queue, long IdleMs);

/// <summary>The answer of <c>POST /flows/purge</c>: the backend, the entries removed over <see cref="Queues"/> tables.</summary>
public sealed record PurgeReply(string Backend, long Purged, int Queues);
