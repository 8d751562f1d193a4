using Forwarder.Packets;

namespace Forwarder.FlowTable;

// The guards around the table, as Katran has them: a bound on new entries per second (NewEntries), the
// split of TCP misses into SYNs and non-SYNs, and purges posted by the control plane (Requests).
//
// Invariant 9 (purges). Only the owner writes the table, so a purge is the owner's work: the control plane
// posts a PurgeRequest (Requests.TryPost) and the worker carries it out in ServeRequests, which it calls at
// the start of every batch and at every idle poll — PurgeBucketsPerServe buckets at a time, so a batch never
// waits long. From the first ServeRequests that sees the request until the scan has passed every bucket,
// PurgeMoves tells the stage which remembered connections belong to the purged backend; the stage forgets
// them (Forget) and sends them to the current Maglev choice, so the purge takes effect at once for every
// packet while the scan catches up on the connections that send none. An entry is counted once: either by
// Forget (its next remembered backend differs, so the scan never meets it again) or by the scan. Count stays
// exact (invariant 3): both empty a slot in use and take one from it.

public sealed unsafe partial class ConnectionTable
{
    /// <summary>Buckets a pending purge scans per batch or idle poll.</summary>
    public const int PurgeBucketsPerServe = 1024;

    private long _synMisses;
    private long _nonSynMisses;
    /// <summary>The purge the owner is carrying out (the owner's field).</summary>
    private PurgeRequest? _activePurge;

    /// <summary>The bound on new connections remembered per second (<see cref="ConnectionTableOptions.MaxNewPerSecond"/>).</summary>
    public NewEntryRateLimit NewEntries { get; }

    /// <summary>Where the control plane posts work only the owner may do.</summary>
    public TableRequests Requests { get; } = new();

    /// <summary>TCP SYNs (new connections) that took the Maglev choice: Katran's LRU misses of TCP SYNs.</summary>
    public long SynMisses => _synMisses;

    /// <summary>
    /// TCP packets other than a SYN whose connection the table did not know: connections this node did not see
    /// start — after a change of nodes in the ECMP group, an eviction or an expiry. Katran's non-SYN LRU misses.
    /// </summary>
    public long NonSynMisses => _nonSynMisses;

    /// <summary>The stage's: a TCP SYN took the Maglev choice.</summary>
    public void CountSynMiss() => _synMisses++;

    /// <summary>The stage's: a TCP packet other than a SYN missed.</summary>
    public void CountNonSynMiss() => _nonSynMisses++;

    /// <summary>
    /// Whether a purge under way covers a connection remembered on (<paramref name="backend"/>,
    /// <paramref name="version"/>, <paramref name="port"/>): then the stage forgets it (<see cref="Forget"/>).
    /// </summary>
    public bool PurgeMoves(in WireAddress backend, IpVersion version, ushort port) =>
        _activePurge is { } purge && purge.Matches(backend, version, port);

    /// <summary>The stage's, for a connection <see cref="PurgeMoves"/> covers: forgets it and counts it purged.</summary>
    public void Forget(in FlowKey key)
    {
        if (_activePurge is { } purge && Remove(key))
            purge.Count(1);
    }

    /// <summary>
    /// The owner's: carries out a pending request a bounded slice at a time (invariant 9). Costs one volatile
    /// load when nothing is pending.
    /// </summary>
    public void ServeRequests()
    {
        if (Requests.Pending is not { } purge)
            return;
        if (!purge.Started)
        {
            purge.Started = true;
            _activePurge = purge;
        }
        purge.Count(PurgeBuckets(purge, PurgeBucketsPerServe));
        if (purge.Cursor >= (uint)BucketCount)
        {
            _activePurge = null;
            Requests.Complete(purge);
        }
    }

    /// <summary>Empties the slots of the purged backend in the next <paramref name="buckets"/> buckets from the request's cursor; returns how many.</summary>
    private int PurgeBuckets(PurgeRequest purge, int buckets)
    {
        uint end = (uint)Math.Min((long)purge.Cursor + buckets, BucketCount);
        int removed = 0;
        for (uint bucket = purge.Cursor; bucket < end; bucket++)
        {
            uint* tags = Tags(bucket);
            FlowEntry* entries = Entries(bucket);
            for (int way = 0; way < _ways; way++)
            {
                if (tags[way] != Empty && purge.Matches(entries[way].Backend, entries[way].BackendVersion, entries[way].BackendPort))
                {
                    tags[way] = Empty;
                    removed++;
                }
            }
        }
        purge.Cursor = end;
        _count -= removed;
        return removed;
    }
}
