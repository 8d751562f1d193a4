namespace Forwarder.DataPlane;

/// <summary>
/// Work a worker does on its own thread when a poll finds nothing to receive (<see cref="WorkerOptions.IdleWork"/>),
/// so that what it owns stays served while no packet arrives. Like a batch processor it must not allocate,
/// lock or throw, and each call must be short: the next packet waits for it.
/// </summary>
public interface IIdleWork
{
    void WhileIdle();
}
