namespace TrafficGen.Generation;

/// <summary>One generating thread's work, whatever the <see cref="InjectionMethod"/>.</summary>
internal interface IInjector
{
    /// <summary>Set when <see cref="Run"/> failed; the other injectors were stopped.</summary>
    Exception? Failure { get; }

    /// <summary>Runs on the calling thread until its share is offered, the deadline passes or <paramref name="stop"/> fires.</summary>
    void Run(long startTimestamp, TimeSpan duration, CancellationTokenSource stop);
}
