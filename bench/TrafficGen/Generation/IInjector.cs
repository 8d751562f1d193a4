namespace TrafficGen.Generation;

/// <summary>
/// One generating thread's work, whatever the <see cref="InjectionMethod"/>. The <see cref="Generator"/> runs it
/// on a thread pinned to its CPU and stops the others when it throws.
/// </summary>
internal interface IInjector
{
    /// <summary>Runs on the calling thread until its share is offered, the deadline passes or <paramref name="stop"/> fires.</summary>
    void Run(long startTimestamp, TimeSpan duration, CancellationToken stop);
}
