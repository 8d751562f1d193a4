using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging;

namespace Forwarder.HostAddresses;

/// <summary>
/// Keeps the XDP program's map of this host's own addresses (<see cref="IHostAddressMap"/>) and the workers'
/// copy (the whole list handed to <c>publish</c>, which the host turns into the workers' set) equal to the
/// addresses of every interface of the network namespace: filled once before the program is attached, then on a background thread after every
/// RTM_NEWADDR / RTM_DELADDR notification and, as a safety net against lost notifications, every
/// <see cref="ResyncPeriod"/>. Each sync lists all addresses afresh (so an address on two interfaces, or a
/// burst of changes, needs no bookkeeping) and applies only the difference: additions to the map before the
/// workers' set is published, removals after.
/// A failure (netlink, map update) never ends the process nor touches forwarding: it is logged and counted,
/// and the thread resyncs after a pause, keeping the addresses it knew meanwhile.
/// </summary>
public sealed class HostAddressWatcher : IDisposable
{
    public static readonly TimeSpan DefaultResyncPeriod = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RetryPause = TimeSpan.FromSeconds(1);
    private const int PollMs = 200;

    private readonly IHostAddressMap _map;
    private readonly Action<IReadOnlyList<IPAddress>> _publish;
    private readonly Func<IReadOnlyList<IPAddress>> _list;
    private readonly Func<RouteNetlinkSocket> _subscribe;
    private readonly ILogger _log;
    private readonly HashSet<IPAddress> _inMap = []; // without IPv6 scope ids: the map holds addresses only
    private readonly Thread _thread;
    private RouteNetlinkSocket? _notifications;
    // The watching thread's own state.
    private readonly byte[] _buffer = new byte[RouteNetlinkSocket.BufferSize];
    private readonly List<AddressMessage> _messages = [];
    private readonly Stopwatch _sinceSync = new();
    private bool _changePending;
    private volatile bool _stopping;
    private long _failures, _syncs;
    private volatile int _count;

    internal HostAddressWatcher(IHostAddressMap map, Action<IReadOnlyList<IPAddress>> publish, ILogger log, TimeSpan resyncPeriod,
        Func<IReadOnlyList<IPAddress>> list, Func<RouteNetlinkSocket> subscribe)
    {
        _map = map;
        _publish = publish;
        _log = log;
        ResyncPeriod = resyncPeriod;
        _list = list;
        _subscribe = subscribe;
        _thread = new Thread(Run) { IsBackground = true, Name = "host addresses" };
    }

    public TimeSpan ResyncPeriod { get; }

    /// <summary>Failed syncs or notification reads so far.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Completed syncs so far (the first one included).</summary>
    public long Syncs => Interlocked.Read(ref _syncs);

    /// <summary>Addresses in the map after the last completed sync.</summary>
    public int Count => _count;

    public HostAddressReading Read() => new(Count, Syncs, Failures);

    /// <summary>Subscribes, fills the map and the workers' set once (before returning), then watches on a background thread.</summary>
    public static HostAddressWatcher Start(IHostAddressMap map, Action<IReadOnlyList<IPAddress>> publish, ILogger log, TimeSpan? resyncPeriod = null)
    {
        var watcher = new HostAddressWatcher(map, publish, log, resyncPeriod ?? DefaultResyncPeriod,
            RouteNetlinkSocket.ListAddresses, RouteNetlinkSocket.SubscribeToAddressChanges);
        watcher.Begin();
        return watcher;
    }

    internal void Begin()
    {
        // Subscribed before the first list, so that no change falls between the two.
        TryOrCount(() => _notifications = _subscribe());
        TryOrCount(Sync);
        _sinceSync.Start();
        _thread.Start();
    }

    private void Run()
    {
        _changePending = Failures > 0;
        while (!_stopping)
        {
            if (!TryOrCount(Step))
            {
                _notifications?.Dispose();
                _notifications = null;
                _changePending = true;
                PauseUnlessStopping(RetryPause);
            }
        }
    }

    /// <summary>Reads one batch of notifications, or syncs when a change is pending (and nothing more is queued) or the resync is due.</summary>
    private void Step()
    {
        _notifications ??= _subscribe();
        // While a change is pending, only drain what is already queued, then sync at once.
        int length = _notifications.Receive(_buffer, _changePending ? 0 : PollMs);
        if (length > 0)
        {
            _messages.Clear();
            NetlinkReadEnd end = AddressMessages.Parse(_buffer.AsSpan(0, length), _messages, out _);
            _changePending |= _messages.Count > 0 || end is NetlinkReadEnd.Malformed;
            return;
        }
        if (length == RouteNetlinkSocket.Overrun)
            _changePending = true; // notifications were lost: only a full list tells what changed
        if (_changePending || _sinceSync.Elapsed >= ResyncPeriod)
        {
            Sync();
            _changePending = false;
            _sinceSync.Restart();
        }
    }

    /// <summary>Lists the addresses and applies the difference to the map and the workers' set.</summary>
    private void Sync()
    {
        IReadOnlyList<IPAddress> addresses = _list();
        var next = addresses.Select(a => new IPAddress(a.GetAddressBytes())).ToHashSet();
        IPAddress[] added = next.Where(k => !_inMap.Contains(k)).ToArray();
        IPAddress[] removed = _inMap.Where(k => !next.Contains(k)).ToArray();
        foreach (IPAddress key in added)
        {
            _map.AddHostAddress(key);
            _inMap.Add(key);
        }
        _publish(addresses);
        foreach (IPAddress key in removed)
        {
            _map.RemoveHostAddress(key);
            _inMap.Remove(key);
        }
        _count = _inMap.Count;
        Interlocked.Increment(ref _syncs);
        if (added.Length > 0 || removed.Length > 0)
            _log.HostAddressesChanged(next.Count, added.Length, removed.Length, string.Join(", ", addresses));
    }

    private bool TryOrCount(Action action)
    {
        try
        {
            action();
            return true;
        }
        catch (Exception e)
        {
            long failures = Interlocked.Increment(ref _failures);
            _log.HostAddressWatchFailed(failures, e.Message);
            return false;
        }
    }

    private void PauseUnlessStopping(TimeSpan pause)
    {
        var clock = Stopwatch.StartNew();
        while (!_stopping && clock.Elapsed < pause)
            Thread.Sleep(PollMs / 4);
    }

    public void Dispose()
    {
        _stopping = true;
        if (_thread.IsAlive)
            _thread.Join(TimeSpan.FromSeconds(5));
        _notifications?.Dispose();
    }
}
