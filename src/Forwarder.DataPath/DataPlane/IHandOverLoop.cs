namespace Forwarder.DataPlane;

/// <summary>
/// A queue loop that can hand its queue to another process's loop (an upgrade): stopped at a batch boundary, it gives
/// its free frames; the successor, built with <see cref="WorkerStart.AwaitHandOver"/>, takes them and the rings as
/// they are. None of this runs on the hot path.
/// </summary>
public interface IHandOverLoop : IQueueLoop
{
    /// <summary>Lets <see cref="IQueueLoop.Run"/> run again after <see cref="IQueueLoop.Stop"/> (a hand-over that was rolled back).</summary>
    void Resume();

    /// <summary>
    /// Keeps the loop from sleeping in poll() when idle, until <see cref="Resume"/>: a stop requested next is seen at
    /// the next batch boundary, not after a sleep. Called from another thread ahead of <see cref="IQueueLoop.Stop"/>.
    /// </summary>
    void StayAwake();

    /// <summary>The UMEM chunk addresses the loop holds on no ring. Only while it does not run.</summary>
    ulong[] CopyFreeFrames();

    /// <summary>
    /// Takes the rings as a stopped predecessor left them (cached indices re-read from the shared ones) and its free
    /// frames, then refills FILL. Throws <see cref="ArgumentException"/> when a frame is outside the UMEM, not a chunk
    /// start, given twice, or when the frames and those on the rings are more than the UMEM has.
    /// </summary>
    void TakeOver(ReadOnlySpan<ulong> freeFrames);
}
