using Microsoft.Extensions.Logging;

namespace Forwarder.Health;

/// <summary>The health checker's log messages (source-generated): transitions and faults, never one line per probe.</summary>
internal static partial class HealthLog
{
    [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "backend {Target} is down: {Reason}")]
    public static partial void BackendDown(this ILogger logger, HealthTarget target, string reason);

    [LoggerMessage(EventId = 202, Level = LogLevel.Information, Message = "backend {Target} is up: {Reason}")]
    public static partial void BackendUp(this ILogger logger, HealthTarget target, string reason);

    [LoggerMessage(EventId = 203, Level = LogLevel.Error, Message = "health check of {Target} faulted; restarting it in {Delay} ms")]
    public static partial void ProbeLoopFaulted(this ILogger logger, Exception exception, HealthTarget target, double delay);

    [LoggerMessage(EventId = 204, Level = LogLevel.Error, Message = "a handler of the health change of {Target} threw")]
    public static partial void HandlerFaulted(this ILogger logger, Exception exception, HealthTarget target);

    [LoggerMessage(EventId = 205, Level = LogLevel.Warning, Message = "{Count} health mark(s) handed over by the predecessor ignored ({Reason}); those targets start as new ones do")]
    public static partial void HealthMarkIgnored(this ILogger logger, int count, string reason);

    [LoggerMessage(EventId = 105, Level = LogLevel.Warning, Message = "{Count} health checks did not stop within {Timeout} ms")]
    public static partial void StopTimedOut(this ILogger logger, int count, double timeout);
}
