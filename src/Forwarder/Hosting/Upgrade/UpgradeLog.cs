using Microsoft.Extensions.Logging;

namespace Forwarder.Hosting.Upgrade;

/// <summary>The upgrade's log events (1100–1109).</summary>
internal static partial class UpgradeLog
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "upgrade ({Trigger}): starting {Executable} {Isolation}; forwarding goes on until it is ready")]
    public static partial void UpgradeStarting(this ILogger log, string trigger, string executable, string isolation);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "upgrade ({Trigger}): handed over to pid {Pid}; the workers paused {PauseMs:0.0} ms")]
    public static partial void Upgraded(this ILogger log, string trigger, int pid, double pauseMs);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "upgrade ({Trigger}) {Outcome}")]
    public static partial void UpgradeNotDone(this ILogger log, string trigger, string outcome);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Information, Message = "upgrade: took over from pid {Pid}; forwarding")]
    public static partial void TookOver(this ILogger log, int pid);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Information, Message = "upgrade: the pause, in ms from the predecessor's stop request: {Timeline}")]
    public static partial void HandOverTimeline(this ILogger log, string timeline);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Warning, Message = "upgrade: the start-up's lower priority or cores could not be lifted from every thread ({What}): those threads stay at a lower priority or on fewer cores")]
    public static partial void IsolationKept(this ILogger log, string what);

    [LoggerMessage(EventId = 1106, Level = LogLevel.Information, Message = "upgrade: counting on from the predecessor's totals: {Vips} VIP(s), {Tables} connection table(s){Skipped}")]
    public static partial void TotalsCarried(this ILogger log, int vips, int tables, string skipped);

    [LoggerMessage(EventId = 1107, Level = LogLevel.Warning, Message = "upgrade: the predecessor's per-VIP, per-backend and connection-table totals did not come ({Why}): they count from 0 here")]
    public static partial void TotalsNotCarried(this ILogger log, string why);
}
