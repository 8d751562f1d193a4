using System.Runtime.Versioning;
using Forwarder.DataPlane;

namespace Forwarder.Tests.DataPlane;

/// <summary>The worker's syscalls, answered by a <see cref="SimulatedQueue"/> instead of the kernel.</summary>
[SupportedOSPlatform("linux")]
public readonly struct SimulatedKernel(SimulatedQueue queue) : IQueueKernel
{
    public int WakeTx() => queue.OnWakeTx();

    public int WakeRx() => queue.OnWakeRx();

    // Nothing arrives while the worker sleeps in a simulation: return at once.
    public void WaitForRx(int timeoutMs) { }
}
