using Microsoft.Extensions.Logging;

namespace Forwarder.Api;

/// <summary>The capture endpoint's log messages (source-generated).</summary>
internal static partial class CaptureLog
{
    [LoggerMessage(EventId = 130, Level = LogLevel.Information, Message = "capture started ({Criteria})")]
    public static partial void CaptureStarted(this ILogger logger, string criteria);

    [LoggerMessage(EventId = 131, Level = LogLevel.Information, Message = "capture ended ({How}): {Frames} frame(s) written, {Lost} lost to capture ring overflow")]
    public static partial void CaptureEnded(this ILogger logger, string how, long frames, long lost);
}
