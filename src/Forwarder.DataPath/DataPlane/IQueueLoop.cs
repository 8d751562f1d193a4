namespace Forwarder.DataPlane;

/// <summary>A queue's worker loop as its host thread sees it, whatever processing stage it was built with.</summary>
public interface IQueueLoop
{
    WorkerCounters Counters { get; }

    /// <summary>Runs until <see cref="Stop"/>.</summary>
    void Run();

    void Stop();
}
