using Microsoft.Extensions.Logging;

namespace Forwarder.Liveness;

/// <summary>The liveness device's, the drain's and the watchdog's log messages (source-generated).</summary>
internal static partial class LivenessLog
{
    [LoggerMessage(EventId = 600, Level = LogLevel.Information, Message = "liveness device {Device} {State}: {Why}")]
    public static partial void DeviceSwitched(this ILogger logger, string device, string state, string why);

    [LoggerMessage(EventId = 601, Level = LogLevel.Error, Message = "liveness device {Device} could not be set {State}: {Reason}")]
    public static partial void DeviceSwitchFailed(this ILogger logger, string device, string state, string reason);

    [LoggerMessage(EventId = 602, Level = LogLevel.Information, Message = "drain started by {Trigger}: forwarding goes on until the VIPs are quiet for {QuietSeconds} s (at most {MaxSeconds} s)")]
    public static partial void DrainStarted(this ILogger logger, string trigger, double quietSeconds, double maxSeconds);

    [LoggerMessage(EventId = 603, Level = LogLevel.Information, Message = "drain ended after {Seconds} s: {Why}")]
    public static partial void DrainEnded(this ILogger logger, double seconds, string why);

    [LoggerMessage(EventId = 604, Level = LogLevel.Warning, Message = "watchdog: the worker of queue {Queue} made no progress for {StallMs} ms with frames waiting in its RX ring; withdrawing (stall {Stalls})")]
    public static partial void WorkerStalled(this ILogger logger, int queue, double stallMs, long stalls);

    [LoggerMessage(EventId = 605, Level = LogLevel.Information, Message = "watchdog: no worker stalled for {RecoveryMs} ms")]
    public static partial void WorkersRecovered(this ILogger logger, double recoveryMs);
}
