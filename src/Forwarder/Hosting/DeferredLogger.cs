using Microsoft.Extensions.Logging;

namespace Forwarder.Hosting;

/// <summary>
/// A logger whose factory is built on a thread-pool thread when first needed, ahead of that
/// (<see cref="Prepare"/>), or once a hold ends (<see cref="Hold"/>): building the console logger (options,
/// dependency injection) costs the start-up of <c>forwarder run</c> tens of milliseconds of JIT and CPU, which the
/// image that only sets up and re-executes itself never needs, and which its successor pays after its first
/// forwarded batch rather than before it. Lines logged before the factory is there are kept, in order, and written
/// as soon as it is; logging never waits for it. Disposing writes whatever is kept and disposes the factory
/// (flushing the console).
/// </summary>
public sealed class DeferredLogger : ILogger, IDisposable
{
    private readonly Func<ILoggerFactory> _create;
    private readonly string _category;
    private readonly object _gate = new();
    private readonly List<Action<ILogger>> _kept = [];
    private ILoggerFactory? _factory;
    private volatile ILogger? _logger;
    private bool _building;
    private bool _held;
    private Timer? _holdLimit;

    /// <param name="create">Builds the factory.</param>
    /// <param name="category">The category of the one logger made from it.</param>
    public DeferredLogger(Func<ILoggerFactory> create, string category)
    {
        _create = create;
        _category = category;
    }

    /// <summary>Starts building the factory on a thread-pool thread, unless it is built or being built.</summary>
    public void Prepare()
    {
        lock (_gate)
        {
            if (_building)
                return;
            _building = true;
        }
        ThreadPool.UnsafeQueueUserWorkItem(static self => self.Build(), this, preferLocal: false);
    }

    /// <summary>
    /// Keeps every line, building nothing, until <see cref="Release"/>, <paramref name="limit"/> or disposal, whichever
    /// comes first; does nothing once the factory is built or being built.
    /// </summary>
    public void Hold(TimeSpan limit)
    {
        lock (_gate)
        {
            if (_building || _held)
                return;
            _held = true;
            _holdLimit = new Timer(static self => ((DeferredLogger)self!).Release(), this, limit, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Ends a hold: the lines kept so far are written once the factory is built, which starts now if any were kept.</summary>
    public void Release()
    {
        lock (_gate)
        {
            if (!_held)
                return;
            _held = false;
            _holdLimit?.Dispose();
            if (_kept.Count == 0 || _building)
                return;
            _building = true;
        }
        ThreadPool.UnsafeQueueUserWorkItem(static self => self.Build(), this, preferLocal: false);
    }

    private void Build()
    {
        ILoggerFactory factory;
        try
        {
            factory = _create();
        }
        catch (Exception) // on a thread-pool thread: whatever keeps the console logger from being built must not end the process
        {
            factory = Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance; // logging is never a reason to stop
        }
        ILogger logger = factory.CreateLogger(_category);
        lock (_gate)
        {
            foreach (Action<ILogger> line in _kept)
                line(logger);
            _kept.Clear();
            _factory = factory;
            _logger = logger;
            Monitor.PulseAll(_gate);
        }
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => _logger?.BeginScope(state);

    /// <summary>Before the factory is there every level counts as enabled: the factory's filter applies when the line is written.</summary>
    public bool IsEnabled(LogLevel logLevel) => _logger?.IsEnabled(logLevel) ?? true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (_logger is { } ready)
        {
            ready.Log(logLevel, eventId, state, exception, formatter);
            return;
        }
        lock (_gate)
        {
            if (_logger is null)
            {
                _kept.Add(logger => logger.Log(logLevel, eventId, state, exception, formatter));
                if (!_building && !_held)
                {
                    _building = true;
                    ThreadPool.UnsafeQueueUserWorkItem(static self => self.Build(), this, preferLocal: false);
                }
                return;
            }
        }
        _logger.Log(logLevel, eventId, state, exception, formatter);
    }

    /// <summary>Waits (bounded) for a factory being built, so that every kept line is written, then disposes it.</summary>
    public void Dispose()
    {
        bool buildHere = false;
        lock (_gate)
        {
            _holdLimit?.Dispose();
            if (_held && _kept.Count > 0 && !_building)
                _building = buildHere = true; // the held lines are written before the process goes on to exit
            _held = false;
        }
        if (buildHere)
            Build();
        lock (_gate)
        {
            if (_building && _logger is null)
                Monitor.Wait(_gate, TimeSpan.FromSeconds(10));
        }
        _factory?.Dispose();
    }
}
