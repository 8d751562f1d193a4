namespace Forwarder.Tests.DataPlane;

/// <summary>Where a UMEM frame is, as the simulated kernel accounts for it.</summary>
public enum FramePlace : byte
{
    /// <summary>Held by the worker: in its free stack or in the batch it is processing.</summary>
    Worker,
    Fill,
    Rx,
    Tx,
    Completion,
}
