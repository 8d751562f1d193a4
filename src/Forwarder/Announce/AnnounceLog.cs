using Microsoft.Extensions.Logging;

namespace Forwarder.Announce;

/// <summary>The announcer's log messages: one per change of state, never one per retry.</summary>
internal static partial class AnnounceLog
{
    [LoggerMessage(EventId = 401, Level = LogLevel.Information, Message = "announce: BIRD took {File}: {Count} VIP address(es) offered ({Addresses})")]
    public static partial void Offered(this ILogger logger, string file, int count, string addresses);

    [LoggerMessage(EventId = 402, Level = LogLevel.Warning, Message = "announce: {Error}; forwarding goes on, retrying with back-off")]
    public static partial void Failing(this ILogger logger, string error);

    [LoggerMessage(EventId = 403, Level = LogLevel.Warning, Message = "announce: BIRD has no protocol {Protocol}: its configuration does not include {File}? configuring again")]
    public static partial void ProtocolMissing(this ILogger logger, string protocol, string file);

    [LoggerMessage(EventId = 404, Level = LogLevel.Warning, Message = "announce: withdrawing every VIP ({Reason})")]
    public static partial void Withdrawing(this ILogger logger, string reason);

    [LoggerMessage(EventId = 405, Level = LogLevel.Error, Message = "announce: fault in the announcer, contained: {Error}")]
    public static partial void Fault(this ILogger logger, string error);
}
