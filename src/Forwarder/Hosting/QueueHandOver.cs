namespace Forwarder.Hosting;

/// <summary>What one queue's worker hands its successor in an upgrade: the frames it holds on no ring, and its counters.</summary>
public sealed record QueueHandOver(ulong[] FreeFrames, long[] Counters);
