using Forwarder.Packets;

namespace Forwarder.FlowTable;

/// <summary>
/// A connection-table entry as a reader beside the worker saw it (<see cref="ConnectionTable.Peek"/>): the
/// backend (address, version, port as set; 0 = none), how long ago the owner last saw the connection, and
/// whether that is within its idle timeout (a dead entry is forgotten the next time the worker looks at it).
/// </summary>
public readonly record struct ConnectionPeek(WireAddress Backend, IpVersion Version, ushort Port, TimeSpan Idle, bool Alive);

/// <summary>What <see cref="ConnectionTable.Peek"/> found.</summary>
public enum PeekOutcome
{
    /// <summary>The key is not in the table.</summary>
    Absent,

    /// <summary>The key's entry, read whole.</summary>
    Found,

    /// <summary>The worker kept changing the key's bucket while it was read: no consistent reading; ask again.</summary>
    Unsettled,
}
