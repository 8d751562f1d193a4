using Microsoft.Extensions.Logging;

namespace Forwarder.HostAddresses;

/// <summary>The host-address watcher's log messages.</summary>
internal static partial class HostAddressLog
{
    [LoggerMessage(EventId = 301, Level = LogLevel.Information, Message = "host addresses: {Count} ({Added} added, {Removed} removed): {Addresses}")]
    public static partial void HostAddressesChanged(this ILogger logger, int count, int added, int removed, string addresses);

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "host addresses: watching failed ({Failures} failure(s) so far): {Reason}; forwarding goes on with the addresses known, resyncing")]
    public static partial void HostAddressWatchFailed(this ILogger logger, long failures, string reason);
}
