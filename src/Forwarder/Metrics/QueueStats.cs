using Forwarder.DataPlane;
using Forwarder.Packets;

namespace Forwarder.Metrics;

/// <summary>A reading of one queue's worker counters at an instant, for rates and the final report.</summary>
public sealed record QueueStats(int Queue, int Core, long Rx, long RxBytes, long Tx, long TxBytes, long Drops, long Batches,
    long EmptyPolls, long TxWakeups, long TxWakeupsAgain, long TxWakeupErrors, long RxWakeups, long IdleWaits,
    IReadOnlyDictionary<string, long> DropReasons)
{
    /// <summary>Reads the counters <paramref name="c"/> of the worker serving <paramref name="queue"/> pinned to <paramref name="core"/>.</summary>
    public static QueueStats Read(int queue, int core, WorkerCounters c)
    {
        var reasons = new Dictionary<string, long>();
        for (int i = 1; i < c.Drops.Length; i++)
        {
            long n = Volatile.Read(ref c.Drops[i]);
            if (n != 0)
                reasons[Packets.DropReasons.Name((DropReason)i)] = n;
        }
        return new QueueStats(queue, core,
            Volatile.Read(ref c.RxPackets), Volatile.Read(ref c.RxBytes), Volatile.Read(ref c.TxPackets), Volatile.Read(ref c.TxBytes),
            c.TotalDrops, Volatile.Read(ref c.Batches), Volatile.Read(ref c.EmptyPolls), Volatile.Read(ref c.TxWakeups),
            Volatile.Read(ref c.TxWakeupsAgain), Volatile.Read(ref c.TxWakeupErrors), Volatile.Read(ref c.RxWakeups),
            Volatile.Read(ref c.IdleWaits), reasons);
    }
}
