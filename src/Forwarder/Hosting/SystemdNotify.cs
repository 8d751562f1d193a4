using System.Globalization;
using Microsoft.Extensions.Hosting.Systemd;

namespace Forwarder.Hosting;

/// <summary>
/// Tells systemd (<c>Type=notify</c>) that the forwarder is ready, that it is stopping, and, under
/// <c>WatchdogSec=</c>, that it is alive: <c>WATCHDOG=1</c> every half of <c>WATCHDOG_USEC</c> from a thread of its
/// own, so that a frozen process (SIGSTOP, a deadlock of the whole runtime) is killed and restarted by systemd.
/// Does nothing unless systemd set <c>NOTIFY_SOCKET</c>. A failed notification is dropped; it never stops forwarding.
/// </summary>
public sealed class SystemdNotify : IDisposable
{
    private readonly ISystemdNotifier _notifier;
    private readonly ManualResetEventSlim _stop = new();
    private Thread? _pings;

    public SystemdNotify(ISystemdNotifier notifier) => _notifier = notifier;

    /// <summary>A notifier for this process's environment: silent without <c>NOTIFY_SOCKET</c>.</summary>
    public static SystemdNotify FromEnvironment() => new(new SystemdNotifier());

    public bool IsEnabled => _notifier.IsEnabled;

    /// <summary><c>READY=1</c> with a status line; then, when systemd asked for them, the watchdog pings start.</summary>
    public void Ready(string status)
    {
        Send(Messages.Ready(status));
        if (Messages.WatchdogInterval(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), Environment.GetEnvironmentVariable("WATCHDOG_PID"),
                Environment.ProcessId) is { } interval && IsEnabled && _pings is null)
        {
            _pings = new Thread(() => Ping(interval)) { Name = "systemd watchdog", IsBackground = true };
            _pings.Start();
        }
    }

    /// <summary><c>MAINPID=</c>: an upgrade's successor is the service's main process now (the unit needs <c>NotifyAccess=all</c> for its notifications).</summary>
    public void MainPid(int pid) => Send($"MAINPID={pid}\nSTATUS=upgraded: pid {pid} forwards");

    /// <summary><c>STOPPING=1</c> with a status line (a drain, or the stop itself).</summary>
    public void Stopping(string status) => Send(Messages.Stopping(status));

    private void Ping(TimeSpan interval)
    {
        while (!_stop.Wait(interval))
            Send(Messages.Watchdog);
    }

    private void Send(string message)
    {
        if (!_notifier.IsEnabled)
            return;
        try
        {
            _notifier.Notify(new ServiceState(message));
        }
        catch (Exception) // systemd gone or the socket unusable: nothing to tell, and forwarding goes on (the ping thread must not die)
        {
        }
    }

    public void Dispose()
    {
        _stop.Set();
        _pings?.Join(TimeSpan.FromSeconds(2));
    }

    /// <summary>The notification texts (sd_notify(3)): newline-separated assignments.</summary>
    public static class Messages
    {
        public const string Watchdog = "WATCHDOG=1";

        public static string Ready(string status) => $"READY=1\nSTATUS={OneLine(status)}";

        public static string Stopping(string status) => $"STOPPING=1\nSTATUS={OneLine(status)}";

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
