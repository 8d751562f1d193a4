using Forwarder.FlowTable;

namespace Forwarder.ControlPlane;

/// <summary>The connection table of the worker serving <see cref="Queue"/>: read by <see cref="FlowLookup"/> with <see cref="ConnectionTable.Peek"/> only.</summary>
public sealed record QueueConnections(int Queue, ConnectionTable Table);
