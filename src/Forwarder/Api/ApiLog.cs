using Microsoft.Extensions.Logging;

namespace Forwarder.Api;

/// <summary>The control surface's log messages (source-generated).</summary>
internal static partial class ApiLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "control API listening on {Address}")]
    public static partial void ApiListening(this ILogger logger, string address);

    [LoggerMessage(EventId = 101, Level = LogLevel.Error, Message = "control API could not listen on {Address}: {Reason}; forwarding goes on without it")]
    public static partial void ApiStartFailed(this ILogger logger, string address, string reason);

    [LoggerMessage(EventId = 106, Level = LogLevel.Warning, Message = "the API socket the predecessor handed over cannot serve ({Reason}); binding {Address} anew")]
    public static partial void ApiHandOverRefused(this ILogger logger, string address, string reason);

    [LoggerMessage(EventId = 102, Level = LogLevel.Error, Message = "control API fault answering {Method} {Path}; the workers are unaffected")]
    public static partial void ApiFault(this ILogger logger, string method, string path, Exception exception);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "{Method} {Path}: applied, table version {Version}")]
    public static partial void ChangeApplied(this ILogger logger, string method, string path, long version);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "{Method} {Path}: refused ({Reason}); table version {Version} kept")]
    public static partial void ChangeRefused(this ILogger logger, string method, string path, string reason, long version);

    [LoggerMessage(EventId = 110, Level = LogLevel.Information, Message = "{Path} reloaded ({Trigger}): table version {Version}")]
    public static partial void ConfigReloaded(this ILogger logger, string path, string trigger, long version);

    [LoggerMessage(EventId = 111, Level = LogLevel.Information, Message = "{Path} re-read ({Trigger}): unchanged, table version {Version}")]
    public static partial void ConfigUnchanged(this ILogger logger, string path, string trigger, long version);

    [LoggerMessage(EventId = 112, Level = LogLevel.Warning, Message = "{Path} refused ({Trigger}, {Count} error(s)); table version {Version} kept")]
    public static partial void ConfigRefused(this ILogger logger, string path, string trigger, int count, long version);

    [LoggerMessage(EventId = 113, Level = LogLevel.Warning, Message = "{Path}: {Error}")]
    public static partial void ConfigError(this ILogger logger, string path, string error);

    [LoggerMessage(EventId = 114, Level = LogLevel.Warning, Message = "{Path}: warning: {Warning}")]
    public static partial void ConfigWarning(this ILogger logger, string path, string warning);

    [LoggerMessage(EventId = 115, Level = LogLevel.Warning, Message = "cannot watch {Directory} for changes of the configuration file ({Reason}); reload it with SIGHUP or POST /reload")]
    public static partial void WatchFailed(this ILogger logger, string directory, string reason);

    [LoggerMessage(EventId = 116, Level = LogLevel.Error, Message = "reloading the configuration ({Trigger}) failed")]
    public static partial void ReloadFault(this ILogger logger, string trigger, Exception exception);

    [LoggerMessage(EventId = 160, Level = LogLevel.Information, Message = "{Trigger}: {State}")]
    public static partial void DrainRequested(this ILogger logger, string trigger, string state);
}
