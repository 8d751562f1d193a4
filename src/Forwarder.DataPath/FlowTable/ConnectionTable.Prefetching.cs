using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Forwarder.FlowTable;

// Prefetching: a batch's keys have their bucket lines, then their matching entry lines, loaded ahead of
// the operations on them (the stage hides the wait behind its hashing). Reads only; changes nothing.
public sealed unsafe partial class ConnectionTable
{
    /// <summary>Starts loading the line of <paramref name="key"/>'s bucket, so that an operation on it soon after finds it in cache.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prefetch(in FlowKey key)
    {
        if (Sse.IsSupported)
        {
            uint* tags = Tags(BucketOf(key.Hash));
            Sse.Prefetch0(tags);
            Sse.Prefetch0(tags + _ways);
        }
    }

    /// <summary>
    /// Prepares a batch: starts loading every key's bucket line, then, with those arriving, the entry
    /// line of every tag that matches — so that operations on these keys right after find the lines
    /// they read in cache (a new key's Set writes its entry without waiting for it). Changes nothing;
    /// on machines without prefetch instructions it does nothing.
    /// </summary>
    public void Prefetch(ReadOnlySpan<FlowKey> keys)
    {
        PrefetchBuckets(keys);
        PrefetchEntries(keys);
    }

    /// <summary>
    /// The first half of <see cref="Prefetch(ReadOnlySpan{FlowKey})"/>: starts loading every key's bucket line
    /// and returns at once. Other work between this and <see cref="PrefetchEntries"/> hides the misses.
    /// </summary>
    public void PrefetchBuckets(ReadOnlySpan<FlowKey> keys)
    {
        if (!Sse.IsSupported)
            return;
        foreach (ref readonly FlowKey key in keys)
            Prefetch(key);
    }

    /// <summary>
    /// The second half of <see cref="Prefetch(ReadOnlySpan{FlowKey})"/>: reads every key's bucket (waiting for
    /// the lines <see cref="PrefetchBuckets"/> started) and starts loading the entry its tag matches.
    /// </summary>
    public void PrefetchEntries(ReadOnlySpan<FlowKey> keys)
    {
        if (!Sse.IsSupported)
            return;
        foreach (ref readonly FlowKey key in keys)
        {
            uint bucket = BucketOf(key.Hash);
            uint matches = MatchMask(Tags(bucket), TagOf(key));
            if (matches != 0)
                Sse.Prefetch0(Entries(bucket) + BitOperations.TrailingZeroCount(matches));
        }
    }
}
