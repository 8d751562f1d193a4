namespace Forwarder.Hosting;

/// <summary>
/// Where an upgrade's successor's worker threads wait: asleep until armed (the successor is about to say ready), then
/// yielding their core, not sleeping, until opened (the queues are theirs) or closed (the process gives up).
/// </summary>
public sealed class HandOverGate
{
    private readonly ManualResetEventSlim _armed = new();
    private volatile int _state; // 0 waiting, 1 open, 2 closed

    public void Arm() => _armed.Set();

    public void Open()
    {
        _state = 1;
        _armed.Set();
    }

    /// <summary>Wakes the waiting threads without letting them run (nothing was handed over).</summary>
    public void Close()
    {
        _state = 2;
        _armed.Set();
    }

    /// <summary>True once open, false once closed.</summary>
    public bool WaitUntilOpen()
    {
        _armed.Wait();
        while (_state == 0)
            Thread.Yield();
        return _state == 1;
    }
}
