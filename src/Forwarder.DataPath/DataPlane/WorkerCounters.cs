using System.Runtime.InteropServices;
using Forwarder.Packets;

namespace Forwarder.DataPlane;

/// <summary>
/// One worker's counters. Written only by that worker, without atomics; readers on other threads
/// sum them (64-bit reads are atomic on the platforms we run on, so a reader sees a value that was
/// true at some instant). Padded so two workers' counters never share a cache line.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public sealed class WorkerCounters
{
#pragma warning disable CS0169 // padding
    private readonly long _padBefore0, _padBefore1, _padBefore2, _padBefore3, _padBefore4, _padBefore5, _padBefore6, _padBefore7;
#pragma warning restore CS0169
    public long RxPackets;
    public long RxBytes;
    public long TxPackets;
    public long TxBytes;
    /// <summary>Loop iterations that received at least one frame.</summary>
    public long Batches;
    /// <summary>Loop iterations that found the RX ring empty.</summary>
    public long EmptyPolls;
    /// <summary>sendto calls that asked the kernel to transmit.</summary>
    public long TxWakeups;
    /// <summary>TX wakeups answered EAGAIN (the kernel's TX budget ran out with more to send).</summary>
    public long TxWakeupsAgain;
    /// <summary>TX wakeups that failed with another error (e.g. ENOBUFS, ENETDOWN).</summary>
    public long TxWakeupErrors;
    /// <summary>recvfrom calls made because the FILL ring asked for a wakeup.</summary>
    public long RxWakeups;
    /// <summary>Times the worker slept in poll() because there was nothing to do.</summary>
    public long IdleWaits;
    /// <summary>Frames that went back to FILL after the kernel completed their transmission.</summary>
    public long Completions;
    /// <summary>Drops by <see cref="DropReason"/>.</summary>
    public readonly long[] Drops = new long[DropReasons.Count];
#pragma warning disable CS0169
    private readonly long _padAfter0, _padAfter1, _padAfter2, _padAfter3, _padAfter4, _padAfter5, _padAfter6, _padAfter7;
#pragma warning restore CS0169

    public long TotalDrops
    {
        get
        {
            long sum = 0;
            for (int i = 1; i < Drops.Length; i++)
                sum += Volatile.Read(ref Drops[i]);
            return sum;
        }
    }
}
