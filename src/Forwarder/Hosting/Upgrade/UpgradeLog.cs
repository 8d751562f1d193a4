using Microsoft.Extensions.Logging;

namespace Forwarder.Hosting.Upgrade;

/// <summary>The upgrade's log events (1100–1109).</summary>
internal static partial class UpgradeLog
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "upgrade ({Trigger}): starting {Executable}; forwarding goes on until it is ready")]
    public static partial void UpgradeStarting(this ILogger log, string trigger, string executable);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "upgrade ({Trigger}): handed over to pid {Pid}; the workers paused {PauseMs:0.0} ms")]
    public static partial void Upgraded(this ILogger log, string trigger, int pid, double pauseMs);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "upgrade ({Trigger}) {Outcome}")]
    public static partial void UpgradeNotDone(this ILogger log, string trigger, string outcome);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Information, Message = "upgrade: took over from pid {Pid}; forwarding")]
    public static partial void TookOver(this ILogger log, int pid);
}
