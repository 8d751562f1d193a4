using Forwarder.FlowTable;

namespace Forwarder.ControlPlane;

/// <summary>One remembered connection of <see cref="ConnectionListing"/>: the queue whose worker's table holds it, and the entry as sampled.</summary>
public sealed record ListedConnection(int Queue, ConnectionSample Entry);
