using Forwarder.DataPlane;

namespace Forwarder.Benchmarks.DataPlane;

/// <summary>Wakeups that cost nothing: the loopback queue transmits when the benchmark tells it to.</summary>
public readonly struct LoopbackKernel : IQueueKernel
{
    public int WakeTx() => 0;

    public int WakeRx() => 0;

    public void WaitForRx(int timeoutMs) { }
}
