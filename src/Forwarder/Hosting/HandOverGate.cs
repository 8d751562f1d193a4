namespace Forwarder.Hosting;

/// <summary>
/// Where an upgrade's successor's worker threads wait: asleep (blocked, not spinning or yielding) until opened (the
/// queues are theirs) or closed (the process gives up). A thread that slept is the one the scheduler runs first when
/// woken; one that spun or yielded on a worker's core would have taken turns with the predecessor's worker and with
/// this process's main thread, which does the take-over, and lost its turn when it mattered (on a loaded machine, by
/// milliseconds).
/// </summary>
public sealed class HandOverGate
{
    private readonly ManualResetEventSlim _released = new(false, spinCount: 1);
    private volatile int _state; // 0 waiting, 1 open, 2 closed

    public void Open()
    {
        _state = 1;
        _released.Set();
    }

    /// <summary>Wakes the waiting threads without letting them run (nothing was handed over).</summary>
    public void Close()
    {
        _state = 2;
        _released.Set();
    }

    /// <summary>True once open, false once closed.</summary>
    public bool WaitUntilOpen()
    {
        _released.Wait();
        return _state == 1;
    }
}
