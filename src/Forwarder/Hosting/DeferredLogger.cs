using Microsoft.Extensions.Logging;

namespace Forwarder.Hosting;

/// <summary>
/// A logger whose factory is built on first use, or ahead of it on a thread-pool thread (<see cref="Prepare"/>):
/// building the console logger (options, dependency injection) costs the start-up of <c>forwarder run</c> tens of
/// milliseconds of JIT, which the image that only sets up and re-executes itself never needs, and which the
/// successor pays beside its set-up rather than before it. Disposing disposes the factory (flushing the console)
/// if it was built.
/// </summary>
public sealed class DeferredLogger : ILogger, IDisposable
{
    private readonly Lazy<(ILoggerFactory Factory, ILogger Logger)> _built;

    /// <param name="create">Builds the factory.</param>
    /// <param name="category">The category of the one logger made from it.</param>
    public DeferredLogger(Func<ILoggerFactory> create, string category) =>
        _built = new(() =>
        {
            ILoggerFactory factory = create();
            return (factory, factory.CreateLogger(category));
        }, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Starts building the factory on a thread-pool thread; a first log line waits for it.</summary>
    public void Prepare() => ThreadPool.UnsafeQueueUserWorkItem(static built => _ = built.Value, _built, preferLocal: false);

    private ILogger Logger => _built.Value.Logger;

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => Logger.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => Logger.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Logger.Log(logLevel, eventId, state, exception, formatter);

    public void Dispose()
    {
        if (_built.IsValueCreated)
            _built.Value.Factory.Dispose();
    }
}
