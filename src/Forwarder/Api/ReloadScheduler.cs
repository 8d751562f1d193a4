using Microsoft.Extensions.Logging;

namespace Forwarder.Api;

/// <summary>
/// Runs reloads off the thread that asks for them, debounced: requests that come within <c>delay</c> of
/// each other (an editor writing a file in several steps, a burst of SIGHUPs) give one reload, after the
/// last of them. A reload that fails is logged; nothing here ever throws at the caller.
/// </summary>
public sealed class ReloadScheduler : IDisposable
{
    /// <summary>Long enough to cover an editor's write-and-rename, short enough to feel immediate.</summary>
    public static readonly TimeSpan DefaultDelay = TimeSpan.FromMilliseconds(200);

    private readonly Func<string, ReloadResult> _reload;
    private readonly TimeSpan _delay;
    private readonly ILogger _log;
    private readonly Timer _timer;
    private readonly Lock _gate = new();
    private string _trigger = "";
    private bool _disposed;

    public ReloadScheduler(Func<string, ReloadResult> reload, TimeSpan delay, ILogger log)
    {
        _reload = reload;
        _delay = delay;
        _log = log;
        _timer = new Timer(_ => Run(), null, Timeout.Infinite, Timeout.Infinite);
    }

    /// <summary>Asks for a reload in <c>delay</c>, replacing one already asked for.</summary>
    public void Request(string trigger)
    {
        lock (_gate)
        {
            if (_disposed)
                return;
            _trigger = trigger;
            _timer.Change(_delay, Timeout.InfiniteTimeSpan);
        }
    }

    private void Run()
    {
        string trigger;
        lock (_gate)
        {
            if (_disposed)
                return;
            trigger = _trigger;
        }
        try
        {
            _reload(trigger);
        }
        catch (Exception e)
        {
            _log.ReloadFault(trigger, e);
        }
    }

    /// <summary>Cancels a pending reload and waits for one that is running.</summary>
    public void Dispose()
    {
        lock (_gate)
            _disposed = true;
        using var done = new ManualResetEvent(false);
        if (_timer.Dispose(done))
            done.WaitOne(TimeSpan.FromSeconds(10));
    }
}
