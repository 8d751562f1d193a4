namespace Forwarder.DataPlane;

/// <summary>How a <see cref="Worker{TProcessor, TKernel}"/> comes by its frames.</summary>
public enum WorkerStart
{
    /// <summary>Every frame is free: the worker fills FILL at once (a queue set up by this process).</summary>
    Fresh,

    /// <summary>
    /// The rings belong to a running predecessor (an upgrade): the worker holds no frame and touches no ring until it
    /// is given the predecessor's free frames (<see cref="IHandOverLoop.TakeOver"/>).
    /// </summary>
    AwaitHandOver,
}
