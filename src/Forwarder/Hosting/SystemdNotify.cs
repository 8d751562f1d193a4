using System.Globalization;
using Microsoft.Extensions.Hosting.Systemd;

namespace Forwarder.Hosting;

/// <summary>
/// Tells systemd (<c>Type=notify</c>) that the forwarder is ready, that it is stopping, and, under
/// <c>WatchdogSec=</c>, that it is alive: <c>WATCHDOG=1</c> every half of <c>WATCHDOG_USEC</c> from a thread of its
/// own, so that a frozen process (SIGSTOP, a deadlock of the whole runtime) is killed and restarted by systemd.
/// Across an upgrade the predecessor names its successor (<c>MAINPID=</c>) as it hands over and then falls silent; the
/// successor says <c>MAINPID=</c> itself with <c>READY=1</c> once it forwards (<see cref="HandedOver"/>, <see cref="TookOver"/>).
/// Does nothing unless systemd set <c>NOTIFY_SOCKET</c>. A failed notification is dropped; it never stops forwarding.
/// </summary>
public sealed class SystemdNotify : IDisposable
{
    private readonly ISystemdNotifier _notifier;
    private readonly ManualResetEventSlim _stop = new();
    private Thread? _pings;
    private bool _silent;

    public SystemdNotify(ISystemdNotifier notifier) => _notifier = notifier;

    /// <summary>A notifier for this process's environment: silent without <c>NOTIFY_SOCKET</c>.</summary>
    public static SystemdNotify FromEnvironment() => new(new SystemdNotifier());

    public bool IsEnabled => _notifier.IsEnabled;

    /// <summary><c>READY=1</c> with a status line; then, when systemd asked for them, the watchdog pings start.</summary>
    public void Ready(string status)
    {
        Send(Messages.Ready(status));
        StartPings(Environment.GetEnvironmentVariable("WATCHDOG_PID"));
    }

    /// <summary>
    /// An upgrade's successor, once it took the queues over and its predecessor has handed over: <c>MAINPID=</c> its own pid
    /// with <c>READY=1</c> (the unit needs <c>NotifyAccess=all</c>), then the watchdog pings. <c>WATCHDOG_PID</c> names the
    /// process systemd started, which an upgrade passes on: the main process is this one now, so it pings all the same.
    /// </summary>
    public void TookOver(string status)
    {
        bool pinging = WatchdogInterval(watchdogPid: null) is not null;
        Send(Messages.TookOver(Environment.ProcessId, status, pinging)); // a ping at once: the predecessor's last was at its hand-over
        StartPings(watchdogPid: null);
    }

    /// <summary>
    /// An upgrade's predecessor, as it hands over to <paramref name="successorPid"/>: its watchdog pings end, it names the
    /// successor the main process (<c>MAINPID=</c>, before it leaves, so systemd never sees the service's main process gone
    /// without one), and from then on it sends nothing: every later notification is the successor's.
    /// </summary>
    public void HandedOver(int successorPid)
    {
        bool pinging = _pings is not null;
        StopPings();
        Send(Messages.MainPid(successorPid, pinging)); // with a last ping: the successor's first may be seconds away (its start-up)
        Volatile.Write(ref _silent, true);
    }

    private void StartPings(string? watchdogPid)
    {
        if (WatchdogInterval(watchdogPid) is { } interval && _pings is null && !Volatile.Read(ref _silent))
        {
            _pings = new Thread(() => Ping(interval)) { Name = "systemd watchdog", IsBackground = true };
            _pings.Start();
        }
    }

    private TimeSpan? WatchdogInterval(string? watchdogPid) =>
        IsEnabled ? Messages.WatchdogInterval(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), watchdogPid, Environment.ProcessId) : null;

    private void StopPings()
    {
        _stop.Set();
        _pings?.Join(TimeSpan.FromSeconds(2));
    }

    /// <summary><c>STOPPING=1</c> with a status line (a drain, or the stop itself).</summary>
    public void Stopping(string status) => Send(Messages.Stopping(status));

    private void Ping(TimeSpan interval)
    {
        while (!_stop.Wait(interval))
            Send(Messages.Watchdog);
    }

    private void Send(string message)
    {
        if (!_notifier.IsEnabled || Volatile.Read(ref _silent))
            return;
        try
        {
            _notifier.Notify(new ServiceState(message));
        }
        catch (Exception) // systemd gone or the socket unusable: nothing to tell, and forwarding goes on (the ping thread must not die)
        {
        }
    }

    public void Dispose() => StopPings();

    /// <summary>The notification texts (sd_notify(3)): newline-separated assignments.</summary>
    public static class Messages
    {
        public const string Watchdog = "WATCHDOG=1";

        public static string Ready(string status) => $"READY=1\nSTATUS={OneLine(status)}";

        public static string Stopping(string status) => $"STOPPING=1\nSTATUS={OneLine(status)}";

        /// <summary>What an upgrade's successor sends once it forwards: it is the main process, and ready.</summary>
        public static string TookOver(int pid, string status, bool watchdog = false) =>
            $"MAINPID={pid}\nREADY=1\nSTATUS={OneLine(status)}" + (watchdog ? $"\n{Watchdog}" : "");

        /// <summary>What an upgrade's predecessor sends as it hands over: its successor is the main process.</summary>
        public static string MainPid(int pid, bool watchdog = false) =>
            $"MAINPID={pid}\nSTATUS=upgraded: pid {pid} forwards" + (watchdog ? $"\n{Watchdog}" : "");

        /// <summary>
        /// How often to send <c>WATCHDOG=1</c>: half of <c>WATCHDOG_USEC</c>, as sd_watchdog_enabled(3) advises; null when
        /// systemd asks for none, the value is not a positive number, or <c>WATCHDOG_PID</c> names another process.
        /// </summary>
        public static TimeSpan? WatchdogInterval(string? usec, string? pid, int processId)
        {
            if (!ulong.TryParse(usec, NumberStyles.None, CultureInfo.InvariantCulture, out ulong microseconds) || microseconds == 0)
                return null;
            if (pid is not null && (!int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out int target) || target != processId))
                return null;
            return TimeSpan.FromMicroseconds(Math.Min(microseconds, (ulong)TimeSpan.FromDays(1).TotalMicroseconds) / 2.0);
        }

        private static string OneLine(string text) => new(text.Select(c => char.IsControl(c) ? ' ' : c).ToArray());
    }
}
