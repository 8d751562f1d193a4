using System.Runtime.ExceptionServices;

namespace Forwarder.Maglev;

/// <summary>
/// Maglev tables by their inputs (<see cref="MaglevTableKey"/>), so that a change rebuilds only the tables
/// whose inputs changed and VIPs with the same backends, weights, version and ring size share one table.
/// It keeps the tables of the last two resolutions — the snapshot in force and the one before it (still
/// read by workers finishing a batch, or in force again if a change is refused later) — so memory
/// follows the distinct tables actually configured.
///
/// Tables are immutable once built; sharing one between VIPs and snapshots is safe. Missing tables are
/// built on all cores; each is a pure function of its key, so the result never depends on the order.
/// Used by one thread at a time (the runtime's change lock); the counters may be read from any thread.
/// </summary>
public sealed class MaglevTableCache
{
    private Dictionary<MaglevTableKey, MaglevTable> _latest = [];
    private Dictionary<MaglevTableKey, MaglevTable> _previous = [];
    private long _built;
    private long _reused;

    /// <summary>Tables computed from scratch since start.</summary>
    public long TablesBuilt => Interlocked.Read(ref _built);

    /// <summary>Tables taken from an earlier build (or from another VIP with the same inputs) instead of computed.</summary>
    public long TablesReused => Interlocked.Read(ref _reused);

    /// <summary>The table for each key (null where no endpoint has weight), reusing every table already built.</summary>
    /// <exception cref="ArgumentException">A key is not a valid table input (see <see cref="MaglevBuilder.Build"/>).</exception>
    public MaglevTable?[] Resolve(IReadOnlyList<MaglevTableKey> keys)
    {
        var used = new Dictionary<MaglevTableKey, MaglevTable>();
        var missing = new List<MaglevTableKey>();
        var pending = new HashSet<MaglevTableKey>();
        int withTable = 0;
        foreach (MaglevTableKey key in keys)
        {
            if (!key.HasTable)
                continue;
            withTable++;
            if (used.ContainsKey(key) || pending.Contains(key))
                continue;
            if (_latest.TryGetValue(key, out MaglevTable? known) || _previous.TryGetValue(key, out known))
                used.Add(key, known);
            else if (pending.Add(key))
                missing.Add(key);
        }

        MaglevTable[] built = BuildAll(missing);
        for (int i = 0; i < missing.Count; i++)
            used.Add(missing[i], built[i]);

        var tables = new MaglevTable?[keys.Count];
        for (int i = 0; i < tables.Length; i++)
            tables[i] = keys[i].HasTable ? used[keys[i]] : null;

        _previous = _latest;
        _latest = used;
        Interlocked.Add(ref _built, missing.Count);
        Interlocked.Add(ref _reused, withTable - missing.Count);
        return tables;
    }

    /// <summary>Builds each table (and its digest, which every snapshot reads) — in parallel when there are several.</summary>
    private static MaglevTable[] BuildAll(List<MaglevTableKey> missing)
    {
        var built = new MaglevTable[missing.Count];
        if (missing.Count == 1)
        {
            built[0] = BuildOne(missing[0]);
            return built;
        }
        try
        {
            Parallel.For(0, missing.Count, i => built[i] = BuildOne(missing[i]));
        }
        catch (AggregateException e) when (e.InnerExceptions.FirstOrDefault(x => x is ArgumentException) is { } invalid)
        {
            ExceptionDispatchInfo.Throw(invalid);
        }
        return built;
    }

    private static MaglevTable BuildOne(MaglevTableKey key)
    {
        MaglevTable table = key.Build()!; // HasTable: some endpoint has weight
        _ = table.Digest;
        return table;
    }
}
