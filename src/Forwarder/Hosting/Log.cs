using Microsoft.Extensions.Logging;

namespace Forwarder.Hosting;

/// <summary>The host's log messages (source-generated; nothing is logged per packet).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Interface} queue {Queue}: AF_XDP socket bound in {Mode} mode, worker on CPU {Core}")]
    public static partial void SocketBound(this ILogger logger, string @interface, int queue, int core, string mode);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "{Interface}: XDP program attached in {Mode} mode")]
    public static partial void ProgramAttached(this ILogger logger, string @interface, string mode);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "{Interface}: taking over XDP program {Id} left behind by a previous instance")]
    public static partial void TakingOver(this ILogger logger, string @interface, uint id);

    [LoggerMessage(EventId = 9, Level = LogLevel.Information, Message = "{Interface}: XDP program kept attached as the upgrade's predecessor attached it")]
    public static partial void ProgramKept(this ILogger logger, string @interface);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "teardown step {Step} failed: {Reason}")]
    public static partial void TeardownFailed(this ILogger logger, string step, string reason);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "keeping capabilities {Capabilities}: {Why}")]
    public static partial void CapabilitiesKept(this ILogger logger, string capabilities, string why);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "not dropping capabilities {Capabilities}: {Why}")]
    public static partial void CapabilitiesNotDropped(this ILogger logger, string capabilities, string why);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "set-up done; capabilities held (any thread): {Capabilities}")]
    public static partial void CapabilitiesHeld(this ILogger logger, string capabilities);

    [LoggerMessage(EventId = 8, Level = LogLevel.Error, Message = "watchdog round failed: {Reason}")]
    public static partial void WatchdogRoundFailed(this ILogger logger, string reason);

    [LoggerMessage(EventId = 9, Level = LogLevel.Information, Message = "start-up (ms since exec): {Phases}{Note}; CPU {CpuMs} ms (both images); this image JIT-compiled {Methods} methods in {JitMs} ms")]
    public static partial void StartupPhases(this ILogger logger, string phases, string note, long cpuMs, long methods, long jitMs);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "deferred start of {Step} failed: {Reason}; forwarding goes on")]
    public static partial void DeferredStartFailed(this ILogger logger, string step, string reason);
}
