namespace Forwarder.Api;

/// <summary>Counts requests the API failed to answer because of a fault of its own; read by /status and /metrics.</summary>
public sealed class ApiFaults
{
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public void Add() => Interlocked.Increment(ref _count);
}
