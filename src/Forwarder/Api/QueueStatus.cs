namespace Forwarder.Api;

/// <summary>One queue's worker counters, as in the final report of <c>forwarder run</c>.</summary>
public sealed record QueueStatus(int Queue, int Core, long RxPackets, long RxBytes, long TxPackets, long TxBytes, long Drops,
    IReadOnlyDictionary<string, long> DropReasons);
