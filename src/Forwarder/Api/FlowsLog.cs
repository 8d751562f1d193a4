using Microsoft.Extensions.Logging;

namespace Forwarder.Api;

/// <summary>The connection-table endpoints' log messages (source-generated).</summary>
internal static partial class FlowsLog
{
    [LoggerMessage(EventId = 170, Level = LogLevel.Information, Message = "POST /flows/purge: purged {Purged} connection(s) of backend {Backend} from {Queues} queue(s)")]
    public static partial void FlowsPurged(this ILogger logger, string backend, long purged, int queues);
}
