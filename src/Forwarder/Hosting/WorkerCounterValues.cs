using Forwarder.DataPlane;

namespace Forwarder.Hosting;

/// <summary>A worker's counters as one array of values, in a fixed order, so that an upgrade's successor goes on counting from them.</summary>
public static class WorkerCounterValues
{
    private const int Scalars = 12;

    public static long[] Read(WorkerCounters c)
    {
        long[] values = new long[Scalars + c.Drops.Length];
        long[] scalars = [c.RxPackets, c.RxBytes, c.TxPackets, c.TxBytes, c.Batches, c.EmptyPolls, c.TxWakeups, c.TxWakeupsAgain, c.TxWakeupErrors, c.RxWakeups, c.IdleWaits, c.Completions];
        scalars.CopyTo(values, 0);
        c.Drops.CopyTo(values, Scalars);
        return values;
    }

    /// <summary>Sets the counters of a worker that has not run yet; values of another length (another version's drop reasons) set what both know.</summary>
    public static void Write(long[] values, WorkerCounters c)
    {
        if (values.Length < Scalars)
            return;
        c.RxPackets = values[0];
        c.RxBytes = values[1];
        c.TxPackets = values[2];
        c.TxBytes = values[3];
        c.Batches = values[4];
        c.EmptyPolls = values[5];
        c.TxWakeups = values[6];
        c.TxWakeupsAgain = values[7];
        c.TxWakeupErrors = values[8];
        c.RxWakeups = values[9];
        c.IdleWaits = values[10];
        c.Completions = values[11];
        for (int i = 0; i < Math.Min(c.Drops.Length, values.Length - Scalars); i++)
            c.Drops[i] = values[Scalars + i];
    }
}
