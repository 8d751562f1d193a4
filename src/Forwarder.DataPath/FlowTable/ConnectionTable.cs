using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Forwarder.Packets;

namespace Forwarder.FlowTable;

// ConnectionTable — which backend (address, IP version and port) each connection went to, per worker.
//
// Why. Maglev alone is stateless: every packet's backend is a function of the packet and the current
// configuration. Adding a backend therefore moves about 1/N of all flows, and draining one (weight 0)
// moves every flow it had. With this table a worker remembers the backend each connection was sent
// to and keeps sending it there while that backend is still usable, so additions, weight changes and
// drains move no established connection; whether a remembered backend is usable (still configured,
// healthy, weight > 0 or draining) is the caller's question, asked against its current snapshot, so
// the connections of a failed backend move at once. Per packet, with `now` read once per batch:
//
//     key = FlowKey.FromPacket(packet)
//     a TCP SYN (TcpSyn.StartsConnection)     → the current Maglev choice, then Set
//     TryGet hits and the backend is usable   → the remembered backend
//     otherwise                               → the current Maglev choice, then Set
//
// Shape. Capacity entries = BucketCount buckets × Ways. A key lives only in bucket
// (Hash >> 32) & (BucketCount − 1). The table hashes the whole key itself (FlowKey.Hash) rather than
// reuse the packet's flow hash: the flow hash leaves out the VIP and the protocol, and a VIP hashing
// without source port leaves that out too — buckets picked from it would crowd all of one client's
// connections to such a VIP into one bucket, and a change of hash options would strand entries.
// Each bucket has Ways tag words followed by Ways stamp words (for 8 ways: 64 bytes, one cache line)
// and, in a second array, Ways 64-byte entries (one line each), all aligned to cache lines. An
// operation reads the bucket's line, compares the tags (one vector compare for 4 or 8 ways, else the
// scalar loop it stands for, which tests run beside it), and reads an entry only where the tag
// matches: a miss touches one line, a hit two. Prefetch(keys) over a whole batch before its lookups
// loads both for every key at once, so the batch waits for memory about once, not once per packet.
//
// Invariants.
// 1. A slot is in use iff its tag is non-zero. A key's tag is the low half of its hash with bit 0 set
//    (never zero) and bit 1 saying TCP, so a slot's timeout is known from its tag without reading
//    its entry; a tag matches another key's by chance once in 2^30 comparisons, and then the full key
//    comparison tells them apart.
// 2. A key is in at most one slot, of its own bucket: Set overwrites the slot holding the key before it
//    considers any other.
// 3. Count is the number of slots in use, exactly: an empty slot filled adds one, a slot emptied
//    (Remove, or found dead by TryGet or Sweep) takes one; overwriting a key and reusing a dead or
//    evicted slot leave it unchanged.
// 4. Time is FlowClock ticks (milliseconds, 32 bits) compared only by unsigned difference: an entry's
//    age is now − stamp, and it is alive while its age is at most its protocol's timeout (< 2^31).
//    That stays right across the wrap of the tick counter as long as every entry is looked at within
//    2^32 ticks (49.7 days) of its stamp, which Sweep guarantees when the worker calls it regularly.
//    A dead entry keeps its slot, and counts, until something looks at it: TryGet or Set of its key,
//    Set searching its bucket for room, or Sweep.
// 5. Every operation's work is bounded by one bucket (Sweep: by the buckets it is asked for). Set with
//    a new key takes, in this order: an empty slot; the dead entry seen longest ago (counted in
//    Expired); the live entry seen longest ago (counted in Evictions). A full bucket forgets its least
//    recently seen connection, and never a live one while it holds a dead one.
// 6. After construction nothing allocates, locks or throws. Both arrays are allocated once on the
//    pinned object heap — they never move, so the raw pointers into them stay valid for the table's
//    life — aligned to cache lines and touched page by page, so that the memory, Capacity ×
//    BytesPerEntry (72 bytes: a 64-byte entry, a tag, a stamp), is resident from the start and fixed.
// 7. One table per worker, used by that worker's thread only: no locks, no atomics. A connection keeps
//    its pin only while it reaches the same worker (RSS hashes its 5-tuple to the same queue). The
//    counters are plain fields written by the owner; others read them racily (64-bit reads are whole;
//    a value may be a batch old).
// 8. Peek is the one operation for other threads: it writes nothing and reads the owner's memory racily,
//    which cannot fault (the arrays are pinned, live as long as the table and every index is within the
//    key's own bucket). It cannot tear unseen either: it reads a matching slot's tag, its entry, its
//    stamp, then the tag and the entry again, and takes the reading only when both copies agree and the
//    tag is unchanged — the owner changes an entry's bytes and, for a new key, the tag — else it reads the
//    bucket again, a bounded number of times, and then says Unsettled rather than guess. (Two equal copies
//    of a half-written entry need the owner to stop between two of its field stores for the whole of both
//    reads; a reading is a diagnosis, never used to forward.) Sample reads whole buckets the same way.
// 9. Purges, rate limit and miss counts: ConnectionTable.Guards.cs.

/// <summary>
/// A fixed-size, set-associative map from <see cref="FlowKey"/> to the backend (address, version and
/// port) a connection was sent to, with per-protocol idle timeouts and least-recently-seen eviction
/// within a bucket. One per worker; single-threaded; allocation-, lock- and throw-free after
/// construction (invariants at the top of the file).
/// </summary>
public sealed unsafe partial class ConnectionTable
{
    /// <summary>Memory per entry: the 64-byte entry and its bucket's 4-byte tag and 4-byte stamp.</summary>
    public const int BytesPerEntry = FlowEntry.Bytes + 2 * sizeof(uint);

    private const int CacheLine = 64;
    private const int PageSize = 4096;
    private const uint Empty = 0;
    private const uint UsedTagBit = 1;
    private const uint TcpTagBit = 2;

    private readonly ConnectionTableMemory _memory; // keeps the memory alive as long as the table
    /// <summary>Bucket b: its tags at [b·2W, b·2W + W), its stamps at [b·2W + W, b·2W + 2W).</summary>
    private readonly uint* _buckets;
    /// <summary>Bucket b: its entries at [b·W, b·W + W).</summary>
    private readonly FlowEntry* _entries;
    private readonly int _ways;
    private readonly int _wayShift;
    private readonly uint _bucketMask;
    private readonly uint _tcpTimeout;
    private readonly uint _udpTimeout;
    private uint _sweepCursor;

    private long _count;
    private long _hits;
    private long _misses;
    private long _evictions;
    private long _expired;

    /// <exception cref="ArgumentException">The options are invalid (<see cref="ConnectionTableOptions.Validate"/>).</exception>
    public ConnectionTable(ConnectionTableOptions options)
        : this(options, null)
    {
    }

    /// <param name="memory">Where the table's two regions live (<see cref="ConnectionTableMemory"/>); null: pinned, zeroed memory of its own.</param>
    /// <exception cref="ArgumentException">The options are invalid, or the memory does not fit them.</exception>
    public ConnectionTable(ConnectionTableOptions options, ConnectionTableMemory? memory)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        Options = options;
        _ways = options.Ways;
        _wayShift = BitOperations.Log2((uint)options.Ways);
        _bucketMask = (uint)(options.Capacity >> _wayShift) - 1;
        _tcpTimeout = FlowClock.ToTicks(options.TcpIdleTimeout);
        _udpTimeout = FlowClock.ToTicks(options.UdpIdleTimeout);
        _memory = memory ?? ConnectionTableMemory.Pinned(options);
        if (_memory.BucketBytes != ConnectionTableMemory.BucketBytesOf(options) || _memory.EntryBytes != ConnectionTableMemory.EntryBytesOf(options))
            throw new ArgumentException($"the connection table's memory ({_memory.BucketBytes} + {_memory.EntryBytes} bytes) does not fit {options.Capacity} entries", nameof(memory));
        _buckets = (uint*)_memory.Buckets;
        _entries = (FlowEntry*)_memory.Entries;
        if (_memory.HoldsEntries)
            Recount();
        NewEntries = new NewEntryRateLimit(options.MaxNewPerSecond);
    }

    public ConnectionTableOptions Options { get; }

    public int Capacity => Options.Capacity;

    public int Ways => _ways;

    public int BucketCount => (int)_bucketMask + 1;

    /// <summary>The table's fixed memory: <see cref="Capacity"/> × <see cref="BytesPerEntry"/>.</summary>
    public long MemoryBytes => Options.MemoryBytes;

    /// <summary>Slots in use (occupancy), exact; includes dead entries not yet looked at.</summary>
    public long Count => _count;

    /// <summary>TryGet calls that found a live entry.</summary>
    public long Hits => _hits;

    /// <summary>TryGet calls that found none (including those that found a dead one).</summary>
    public long Misses => _misses;

    /// <summary>Live entries dropped to make room for a new key in a full bucket.</summary>
    public long Evictions => _evictions;

    /// <summary>Entries found past their idle timeout (by TryGet, Set or Sweep) and forgotten.</summary>
    public long Expired => _expired;

    /// <summary>
    /// The backend <paramref name="key"/> was last set to — its address, version and port (0 when it was
    /// set without one) — if the entry is alive at <paramref name="now"/>; a hit makes <paramref name="now"/>
    /// its last-seen time. An entry found dead is removed (a miss).
    /// </summary>
    public bool TryGet(in FlowKey key, uint now, out WireAddress backend, out IpVersion version, out ushort port)
    {
        uint bucket = BucketOf(key.Hash);
        uint tag = TagOf(key);
        uint* tags = Tags(bucket);
        uint* stamps = tags + _ways;
        FlowEntry* entries = Entries(bucket);
        int way = Find(tags, entries, tag, key);
        if (way >= 0)
        {
            if (now - stamps[way] <= TimeoutOf(tag))
            {
                stamps[way] = now;
                _hits++;
                backend = entries[way].Backend;
                version = entries[way].BackendVersion;
                port = entries[way].BackendPort;
                return true;
            }
            tags[way] = Empty;
            _count--;
            _expired++;
        }
        _misses++;
        backend = default;
        version = IpVersion.None;
        port = 0;
        return false;
    }

    /// <summary><see cref="TryGet(in FlowKey, uint, out WireAddress, out IpVersion, out ushort)"/> without the port.</summary>
    public bool TryGet(in FlowKey key, uint now, out WireAddress backend, out IpVersion version) =>
        TryGet(key, now, out backend, out version, out _);

    /// <summary>
    /// Maps <paramref name="key"/> to <paramref name="backend"/>, seen at <paramref name="now"/>: overwrites
    /// the key's entry, or takes an empty slot, else the longest-dead entry, else evicts the least recently
    /// seen live entry of the key's bucket. <paramref name="port"/> is kept with the backend and given back
    /// by TryGet as it is (0 = none): a nat VIP may list one address with several ports.
    /// </summary>
    public void Set(in FlowKey key, in WireAddress backend, IpVersion version, ushort port, uint now)
    {
        uint bucket = BucketOf(key.Hash);
        uint tag = TagOf(key);
        uint* tags = Tags(bucket);
        uint* stamps = tags + _ways;
        FlowEntry* entries = Entries(bucket);

        int way = Find(tags, entries, tag, key);
        if (way >= 0)
        {
            if (now - stamps[way] > TimeoutOf(tag))
                _expired++;
            entries[way].Backend = backend;
            entries[way].BackendVersion = version;
            entries[way].BackendPort = port;
            stamps[way] = now;
            return;
        }

        int slot;
        uint empty = MatchMask(tags, Empty);
        if (empty != 0)
        {
            slot = BitOperations.TrailingZeroCount(empty);
            _count++;
        }
        else
        {
            slot = Victim(tags, stamps, now, out bool dead);
            if (dead)
                _expired++;
            else
                _evictions++;
        }
        ref FlowEntry entry = ref entries[slot];
        entry.Client = key.Client;
        entry.Vip = key.Vip;
        entry.Identity = key.Identity;
        entry.Backend = backend;
        entry.BackendVersion = version;
        entry.BackendPort = port;
        tags[slot] = tag;
        stamps[slot] = now;
    }

    /// <summary><see cref="Set(in FlowKey, in WireAddress, IpVersion, ushort, uint)"/> for a backend without a port.</summary>
    public void Set(in FlowKey key, in WireAddress backend, IpVersion version, uint now) => Set(key, backend, version, 0, now);

    /// <summary>Forgets <paramref name="key"/>; false if it was not in the table.</summary>
    public bool Remove(in FlowKey key)
    {
        uint bucket = BucketOf(key.Hash);
        uint* tags = Tags(bucket);
        int way = Find(tags, Entries(bucket), TagOf(key), key);
        if (way < 0)
            return false;
        tags[way] = Empty;
        _count--;
        return true;
    }

    /// <summary>
    /// Frees the dead entries of the next <paramref name="buckets"/> buckets, round robin over the table
    /// (at most all of them), and returns how many it freed. Called regularly — a few buckets per batch or
    /// idle poll — it keeps <see cref="Count"/> close to the live connections and visits every entry
    /// well within the 49.7 days the tick arithmetic needs.
    /// </summary>
    public int Sweep(uint now, int buckets)
    {
        int visits = Math.Clamp(buckets, 0, BucketCount);
        uint cursor = _sweepCursor;
        int freed = 0;
        for (int i = 0; i < visits; i++)
        {
            uint* tags = Tags(cursor);
            uint* stamps = tags + _ways;
            for (int way = 0; way < _ways; way++)
            {
                uint tag = tags[way];
                if (tag != Empty && now - stamps[way] > TimeoutOf(tag))
                {
                    tags[way] = Empty;
                    freed++;
                }
            }
            cursor = (cursor + 1) & _bucketMask;
        }
        _sweepCursor = cursor;
        _count -= freed;
        _expired += freed;
        return freed;
    }

    /// <summary>The bucket <paramref name="key"/> lives in (for tests that need keys sharing a bucket).</summary>
    internal int BucketOf(in FlowKey key) => (int)BucketOf(key.Hash);

    /// <summary>For tests: the vector and the scalar tag masks of one bucket, which must agree.</summary>
    internal (uint Vector, uint Scalar) TagMasks(int bucket, uint tag) =>
        (MatchMask(Tags((uint)bucket), tag), MatchMaskScalar(Tags((uint)bucket), tag));

    /// <summary>For tests: the tag word of one slot (0 when empty).</summary>
    internal uint TagAt(int bucket, int way) => Tags((uint)bucket)[way];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint BucketOf(ulong hash) => (uint)(hash >> 32) & _bucketMask;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint TagOf(in FlowKey key) =>
        ((uint)key.Hash & ~(UsedTagBit | TcpTagBit)) | UsedTagBit | (key.Protocol == IpProtocol.Tcp ? TcpTagBit : 0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint TimeoutOf(uint tag) => (tag & TcpTagBit) != 0 ? _tcpTimeout : _udpTimeout;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint* Tags(uint bucket) => _buckets + ((nuint)bucket << (_wayShift + 1));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private FlowEntry* Entries(uint bucket) => _entries + ((nuint)bucket << _wayShift);

    /// <summary>The way holding <paramref name="key"/>, dead or alive, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Find(uint* tags, FlowEntry* entries, uint tag, in FlowKey key)
    {
        // Usually no bit or one is set; a second one is a chance match of another key's tag.
        for (uint matches = MatchMask(tags, tag); matches != 0; matches &= matches - 1)
        {
            int way = BitOperations.TrailingZeroCount(matches);
            if (entries[way].Holds(key))
                return way;
        }
        return -1;
    }

    /// <summary>Bit w set where the tag of way w equals <paramref name="tag"/>: one vector compare for 4 or 8 ways, a loop otherwise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint MatchMask(uint* tags, uint tag)
    {
        if (Vector256.IsHardwareAccelerated && _ways == 8)
            return Vector256.Equals(Vector256.Load(tags), Vector256.Create(tag)).ExtractMostSignificantBits();
        if (Vector128.IsHardwareAccelerated && _ways == 4)
            return Vector128.Equals(Vector128.Load(tags), Vector128.Create(tag)).ExtractMostSignificantBits();
        return MatchMaskScalar(tags, tag);
    }

    /// <summary>The loop <see cref="MatchMask"/> stands for (any number of ways).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint MatchMaskScalar(uint* tags, uint tag)
    {
        uint mask = 0;
        for (int way = 0; way < _ways; way++)
        {
            if (tags[way] == tag)
                mask |= 1u << way;
        }
        return mask;
    }

    /// <summary>
    /// The way a new key replaces in a full bucket: the dead entry seen longest ago, else the live entry
    /// seen longest ago (the first of equals).
    /// </summary>
    private int Victim(uint* tags, uint* stamps, uint now, out bool dead)
    {
        int victim = 0;
        ulong victimRank = 0;
        for (int way = 0; way < _ways; way++)
        {
            uint age = now - stamps[way];
            ulong rank = age > TimeoutOf(tags[way]) ? (1UL << 32) | age : age;
            if (way == 0 || rank > victimRank)
            {
                victim = way;
                victimRank = rank;
            }
        }
        dead = victimRank > uint.MaxValue;
        return victim;
    }
}
