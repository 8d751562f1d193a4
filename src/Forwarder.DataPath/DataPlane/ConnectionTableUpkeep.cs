using Forwarder.FlowTable;

namespace Forwarder.DataPlane;

/// <summary>
/// A worker's connection table served while the worker is idle: requests the control plane posted (a purge)
/// go on between packets as they do at every batch (<see cref="ConnectionTable.ServeRequests"/>), so an
/// idle queue answers too.
/// </summary>
public sealed class ConnectionTableUpkeep(ConnectionTable table) : IIdleWork
{
    public void WhileIdle() => table.ServeRequests();
}
