namespace Forwarder.IntegrationTests.Infrastructure;

/// <summary>One queue's counters in the forwarder's FINAL report.</summary>
public sealed record QueueCounters(int Queue, long Rx, long Tx, long Drops);
