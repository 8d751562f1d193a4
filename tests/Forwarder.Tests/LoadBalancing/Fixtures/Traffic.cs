namespace Forwarder.Tests.LoadBalancing.Fixtures;

/// <summary>Packets and bytes, as the per-VIP and per-backend counters count them (bytes as received).</summary>
internal readonly record struct Traffic(long Packets, long Bytes)
{
    public static Traffic operator +(Traffic a, Traffic b) => new(a.Packets + b.Packets, a.Bytes + b.Bytes);

    public override string ToString() => $"{Packets} packets, {Bytes} bytes";
}
