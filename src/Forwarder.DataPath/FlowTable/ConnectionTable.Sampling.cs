using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Forwarder.Packets;

namespace Forwarder.FlowTable;

public sealed unsafe partial class ConnectionTable
{
    /// <summary>
    /// Adds to <paramref name="into"/> up to <paramref name="limit"/> live connections of the VIP at
    /// (<paramref name="vip"/>, <paramref name="version"/>, <paramref name="vipPort"/> — 0 = every port,
    /// <paramref name="protocol"/> — 0 = every protocol), visiting the buckets from <paramref name="firstBucket"/>
    /// round the table, and returns how many it added. For threads other than the owner: like
    /// <see cref="Peek"/> it writes nothing and reads racily, which cannot fault (invariant 8); each entry is
    /// read twice around its stamp and taken only when both copies and its tag agree and the tag is the one of the
    /// key the entry holds, else it is skipped — a sample, never used to forward. Allocates (the list); not for the data path.
    /// </summary>
    public int Sample(in WireAddress vip, IpVersion version, ushort vipPort, byte protocol, int firstBucket, uint now, int limit, List<ConnectionSample> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        int added = 0;
        int buckets = BucketCount;
        uint start = (uint)firstBucket & _bucketMask;
        for (int visited = 0; visited < buckets && added < limit; visited++)
        {
            uint bucket = (start + (uint)visited) & _bucketMask;
            uint* tags = Tags(bucket);
            uint* stamps = tags + _ways;
            FlowEntry* entries = Entries(bucket);
            for (int way = 0; way < _ways && added < limit; way++)
            {
                uint tag = Volatile.Read(ref tags[way]);
                if (tag == Empty)
                    continue;
                if (!TryReadSettled(tags, stamps, entries, way, tag, out FlowEntry first, out uint stamp))
                    continue;
                uint idle = now - stamp;
                if (idle > int.MaxValue)
                    idle = 0; // stamped by the owner after this reader's now was read
                if (idle > TimeoutOf(tag) || first.Vip != vip)
                    continue;
                uint portsWord = (uint)first.Identity;
                byte entryProtocol = (byte)(first.Identity >> 32);
                var entryVersion = (IpVersion)(byte)(first.Identity >> 40);
                // The owner writes a new key's entry before its tag: an entry caught half rewritten while the owner was
                // preempted reads the same twice, but holds a key whose tag is not the slot's.
                if (TagOf(new FlowKey(first.Client, first.Vip, portsWord, entryProtocol, entryVersion)) != tag)
                    continue;
                (ushort clientPort, ushort entryVipPort) = Ports(portsWord);
                if (entryVersion != version || (protocol != 0 && entryProtocol != protocol) || (vipPort != 0 && entryVipPort != vipPort))
                    continue;
                into.Add(new ConnectionSample(first.Client, clientPort, entryVipPort, entryProtocol, entryVersion,
                    first.Backend, first.BackendVersion, first.BackendPort, TimeSpan.FromMilliseconds(idle)));
                added++;
            }
        }
        return added;
    }

    /// <summary>The client's and the VIP's port of a ports word as loaded from the wire ([client port, VIP port], network order).</summary>
    private static (ushort Client, ushort Vip) Ports(uint portsWord)
    {
        ReadOnlySpan<byte> bytes = MemoryMarshal.AsBytes(new ReadOnlySpan<uint>(in portsWord));
        return (BinaryPrimitives.ReadUInt16BigEndian(bytes), BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]));
    }

    /// <summary>
    /// The entry of <paramref name="key"/> as a thread other than the owner sees it, changing nothing (no
    /// last-seen update, no removal, no counter): <paramref name="found"/> is set when the outcome is
    /// <see cref="PeekOutcome.Found"/>. Invariant 8 says why the reading is whole. Not for the data path.
    /// </summary>
    public PeekOutcome Peek(in FlowKey key, uint now, out ConnectionPeek found)
    {
        const int Attempts = 8;
        uint bucket = BucketOf(key.Hash);
        uint tag = TagOf(key);
        uint* tags = Tags(bucket);
        uint* stamps = tags + _ways;
        FlowEntry* entries = Entries(bucket);
        for (int attempt = 0; attempt < Attempts; attempt++)
        {
            bool torn = false;
            for (int way = 0; way < _ways && !torn; way++)
            {
                if (Volatile.Read(ref tags[way]) != tag)
                    continue;
                if (!TryReadSettled(tags, stamps, entries, way, tag, out FlowEntry first, out uint stamp))
                {
                    torn = true;
                    continue;
                }
                if (!first.Holds(key))
                    continue;
                uint idle = now - stamp;
                if (idle > int.MaxValue)
                    idle = 0; // the owner stamped it after this reader's now was read
                found = new ConnectionPeek(first.Backend, first.BackendVersion, first.BackendPort,
                    TimeSpan.FromMilliseconds(idle), idle <= TimeoutOf(tag));
                return PeekOutcome.Found;
            }
            if (!torn)
            {
                found = default;
                return PeekOutcome.Absent;
            }
            Thread.SpinWait(16);
        }
        found = default;
        return PeekOutcome.Unsettled;
    }

    /// <summary>
    /// Reads way <paramref name="way"/>'s entry and stamp as another thread than the owner: false when the owner was
    /// writing it meanwhile (the entry read twice differs, or the tag is no longer <paramref name="tag"/>).
    /// </summary>
    private static bool TryReadSettled(uint* tags, uint* stamps, FlowEntry* entries, int way, uint tag, out FlowEntry entry, out uint stamp)
    {
        entry = entries[way];
        stamp = Volatile.Read(ref stamps[way]);
        Interlocked.MemoryBarrier();
        FlowEntry again = entries[way];
        return Volatile.Read(ref tags[way]) == tag && SameBytes(entry, again);
    }

    private static bool SameBytes(in FlowEntry a, in FlowEntry b) =>
        MemoryMarshal.AsBytes(new ReadOnlySpan<FlowEntry>(in a)).SequenceEqual(MemoryMarshal.AsBytes(new ReadOnlySpan<FlowEntry>(in b)));

    /// <summary>
    /// Sets <see cref="Count"/> from the tags: for memory that held a table already (an upgrade's predecessor's), once
    /// its last writer stopped. Not for the data path: it reads every bucket.
    /// </summary>
    public void Recount() => _count = CountUsed();

    private long CountUsed()
    {
        long used = 0;
        int buckets = (int)_bucketMask + 1;
        for (int bucket = 0; bucket < buckets; bucket++)
        {
            uint* tags = Tags((uint)bucket);
            for (int way = 0; way < _ways; way++)
                used += tags[way] != Empty ? 1 : 0;
        }
        return used;
    }
}
