using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Forwarder.Packets;

namespace Forwarder.DataPlane;

/// <summary>
/// A VIP's source allow list (<c>allowed_sources</c>) as the workers read it: is a client address inside any
/// of the list's prefixes? A multibit trie with a 16-bit first stride and 8-bit strides after it (DIR-16-8-8
/// for IPv4, 16-8-…-8 for IPv6, after the whole leading bytes all of an IPv6 list's prefixes share, which are compared
/// as one word), held in one <see cref="int"/> array. Each entry is the offset of the 256-entry block for the next
/// address byte. The two answers are blocks too, at the array's start: every entry of the <see cref="Denied"/> block
/// leads back to it, and likewise for <see cref="Allowed"/>, so an IPv6 lookup makes the same number of loads for
/// every address of a list — as many as its longest prefix needs — and never branches on what it reads: lookups of
/// clients inside and outside the list, mixed, cost no mispredicted branches (IPv4 stops at the first answer). An IPv4 lookup is at most three dependent loads,
/// an IPv6 one at most 15 (a /128); /48 to /64 prefixes under one shared /32 take 1 to 3; the answer never depends on
/// how many prefixes the list has.
///
/// Memory: 258 KiB for the first level and the two answer blocks, plus 1 KiB for each further block; a prefix of
/// length L adds at most ⌈(L − 16) / 8⌉ blocks (none up to /16), so a list's size is bounded before it is built
/// (<see cref="MaxBytes"/>). Built once by the control plane, immutable afterwards and shared by every VIP with the
/// same list; a lookup allocates nothing, locks nothing and throws nothing.
/// </summary>
public sealed class SourceAllowList
{
    private const int RootEntries = 1 << 16;
    private const int BlockEntries = 1 << 8;

    /// <summary>An entry: no prefix covers the addresses below it (the offset of a block of such entries).</summary>
    private const int Denied = 0;

    /// <summary>An entry: a prefix covers every address below it (the offset of a block of such entries).</summary>
    private const int Allowed = BlockEntries;

    /// <summary>Where the first level starts: after the two answer blocks.</summary>
    private const int RootOffset = 2 * BlockEntries;

    /// <summary>Bytes every list has: the first level and the two answer blocks.</summary>
    public const long RootBytes = (RootOffset + RootEntries) * sizeof(int);

    /// <summary>Bytes of one block of the levels below.</summary>
    public const long BlockBytes = BlockEntries * sizeof(int);

    private readonly int[] _entries;

    /// <summary>IPv6: the leading bytes every prefix shares (up to 8), as the high bytes of the upper word; the trie starts after them.</summary>
    private readonly ulong _sharedUpper;
    private readonly ulong _sharedMask;
    private readonly int _sharedBits;

    /// <summary>The byte levels below the first that the list's longest prefix reaches: the loads after the first.</summary>
    private readonly int _levels;

    private SourceAllowList(IpVersion version, int[] entries, int prefixCount, int sharedBytes, ulong sharedUpper, int levels)
    {
        _levels = levels;
        Version = version;
        _entries = entries;
        PrefixCount = prefixCount;
        _sharedBits = sharedBytes * 8;
        _sharedMask = sharedBytes == 0 ? 0 : ulong.MaxValue << (64 - _sharedBits);
        _sharedUpper = sharedUpper & _sharedMask;
    }

    /// <summary>The family of the list's prefixes: a source of the other family is never allowed.</summary>
    public IpVersion Version { get; }

    /// <summary>The prefixes it was built from (duplicates included).</summary>
    public int PrefixCount { get; }

    /// <summary>The memory its table takes.</summary>
    public long Bytes => (long)_entries.Length * sizeof(int);

    /// <summary>The most a list of prefixes with these lengths can take: the first level and, per prefix longer than /16, a block per 8 bits.</summary>
    public static long MaxBytes(IEnumerable<int> prefixLengths) =>
        RootBytes + prefixLengths.Sum(length => BlocksFor(length) * BlockBytes);

    /// <summary>
    /// The list of <paramref name="prefixes"/>, each the address bytes (4 for IPv4, 16 for IPv6, wire order) and a prefix length;
    /// the address bits past the length must be zero. Overlapping and repeated prefixes are allowed.
    /// </summary>
    /// <exception cref="ArgumentException">A prefix of the other family, a length out of range or host bits set.</exception>
    public static SourceAllowList Build(IpVersion version, IReadOnlyList<(byte[] Address, int Length)> prefixes)
    {
        ArgumentNullException.ThrowIfNull(prefixes);
        int addressBytes = version == IpVersion.V4 ? 4 : 16;
        long blocks = 0;
        foreach (var (address, length) in prefixes)
        {
            if (address.Length != addressBytes || length < 0 || length > addressBytes * 8 || !HostBitsClear(address, length))
                throw new ArgumentException($"{Convert.ToHexString(address)}/{length} is no {version} prefix without host bits");
            blocks += BlocksFor(length);
        }
        // IPv6 lists usually sit under one operator prefix (2001:db8::/32): the whole bytes all prefixes share are
        // compared at once, and the trie indexes the bytes after them, saving a load per shared byte.
        int shared = version == IpVersion.V6 ? SharedBytes(prefixes) : 0;
        var builder = new Builder(checked((int)(RootOffset + RootEntries + blocks * BlockEntries)));
        // Shorter prefixes first: a longer prefix then lands either under an entry already allowed (nothing to do) or in
        // denied space, and a range a prefix sets to allowed never holds a block yet.
        foreach (var (address, length) in prefixes.OrderBy(p => p.Length))
        {
            byte[] rest = new byte[addressBytes];
            address.AsSpan(shared).CopyTo(rest);
            builder.Insert(rest, length - shared * 8);
        }
        ulong sharedUpper = shared == 0 ? 0 : BinaryPrimitives.ReadUInt64BigEndian(prefixes[0].Address);
        int levels = prefixes.Count == 0 ? 0 : (int)prefixes.Max(p => BlocksFor(p.Length - shared * 8));
        return new SourceAllowList(version, builder.Finish(), prefixes.Count, shared, sharedUpper, levels);
    }

    /// <summary>True when <paramref name="source"/>, of this list's family, lies in one of its prefixes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Allows(in WireAddress source)
    {
        if (Version == IpVersion.V6)
            return AllowsV6(source);
        // IPv4 ends at the first answer: its lists' clients mostly share the first levels' blocks, which branch alike.
        // Every offset below was written by the builder: a block's offset plus a byte stays inside the array.
        ref int entries = ref MemoryMarshal.GetArrayDataReference(_entries);
        uint address = BigEndian(source.V4); // a.b.c.d with a in the top byte
        int entry = Unsafe.Add(ref entries, RootOffset + (int)(address >> 16));
        if (entry <= Allowed)
            return entry == Allowed;
        entry = Unsafe.Add(ref entries, entry + (byte)(address >> 8));
        if (entry <= Allowed)
            return entry == Allowed;
        return Unsafe.Add(ref entries, entry + (byte)address) == Allowed;
    }

    /// <summary>
    /// The IPv6 walk: the shared bytes compared as one word, then the list's fixed number of loads — 16 bits and two
    /// bytes unrolled (a /64 under a shared /32 ends there), then, for longer prefixes, <see cref="Deeper"/>. Clients
    /// of an IPv6 list are spread over the first level, inside and outside alike: no branch depends on what is read.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool AllowsV6(in WireAddress source)
    {
        ulong upper = BigEndian(source.Upper);
        if (((upper ^ _sharedUpper) & _sharedMask) != 0)
            return false;
        ulong lower = BigEndian(source.Lower);
        // The 64 bits after the shared bytes. For 0 to 56 shared bits the lower word's share is shifted in by two
        // steps, so that 0 shared bits shift it out whole (one shift by 64 would shift by 0).
        int shared = _sharedBits;
        ulong word = shared == 64 ? lower : upper << shared | (lower >> 1) >> (63 - shared);
        // A block's offset plus a byte stays inside the array, and an answer block leads back to itself, so loads past
        // the answer keep it. The level count is the list's: its branches always go the same way.
        ref int entries = ref MemoryMarshal.GetArrayDataReference(_entries);
        int entry = Unsafe.Add(ref entries, RootOffset + (int)(word >> 48));
        int levels = _levels;
        if (levels > 0)
        {
            entry = Unsafe.Add(ref entries, entry + (byte)(word >> 40));
            if (levels > 1)
            {
                entry = Unsafe.Add(ref entries, entry + (byte)(word >> 32));
                if (levels > 2)
                    entry = Deeper(entry, word, source, levels - 2);
            }
        }
        return entry == Allowed;
    }

    /// <summary>IPv6 prefixes longer than 32 bits past the shared bytes: the rest of the walk, a byte a level.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private int Deeper(int entry, ulong word, in WireAddress source, int levels)
    {
        ref int entries = ref MemoryMarshal.GetArrayDataReference(_entries);
        int shift = 24;
        for (int level = 0; level < levels; level++)
        {
            if (shift < 0)
            {
                // The bits after the first 64: with 8 shared bytes the trie indexes 8 bytes, all in the first word.
                word = BigEndian(source.Lower) << _sharedBits;
                shift = 56;
            }
            entry = Unsafe.Add(ref entries, entry + (byte)(word >> shift));
            shift -= 8;
        }
        return entry;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint BigEndian(uint wire) => BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(wire) : wire;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong BigEndian(ulong wire) => BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(wire) : wire;

    /// <summary>The whole leading bytes (at most 8) that every prefix covers in full and all have alike.</summary>
    private static int SharedBytes(IReadOnlyList<(byte[] Address, int Length)> prefixes)
    {
        if (prefixes.Count == 0)
            return 0;
        int shared = Math.Min(8, prefixes.Min(p => p.Length) / 8);
        byte[] first = prefixes[0].Address;
        foreach (var (address, _) in prefixes)
        {
            int same = 0;
            while (same < shared && address[same] == first[same])
                same++;
            shared = same;
        }
        return shared;
    }

    private static long BlocksFor(int length) => length <= 16 ? 0 : (length - 16 + 7) / 8;

    private static bool HostBitsClear(byte[] address, int length)
    {
        for (int bit = length; bit < address.Length * 8; bit++)
        {
            if ((address[bit / 8] & (0x80 >> (bit % 8))) != 0)
                return false;
        }
        return true;
    }

    /// <summary>Fills the array: the answer blocks, the first level after them, blocks appended as prefixes need them.</summary>
    private sealed class Builder
    {
        private readonly int[] _entries;
        private int _used = RootOffset + RootEntries;

        public Builder(int capacity)
        {
            _entries = new int[capacity]; // all Denied, the denied block leading to itself among them
            _entries.AsSpan(Allowed, BlockEntries).Fill(Allowed);
        }

        public void Insert(byte[] address, int length)
        {
            if (length <= 16)
            {
                SetAllowed(RootOffset, address[0] << 8 | address[1], 16 - length);
                return;
            }
            int at = RootOffset + (address[0] << 8 | address[1]); // index of the entry for the bits decided so far
            int next = 2;
            int remaining = length - 16;
            while (true)
            {
                int entry = _entries[at];
                if (entry == Allowed)
                    return; // a shorter prefix covers this one already
                if (entry == Denied)
                {
                    entry = _used;
                    _used += BlockEntries;
                    _entries[at] = entry;
                }
                if (remaining <= 8)
                {
                    SetAllowed(entry, address[next], 8 - remaining);
                    return;
                }
                at = entry + address[next++];
                remaining -= 8;
            }
        }

        /// <summary>Allows the 2^<paramref name="freeBits"/> entries of the block at <paramref name="block"/> from index <paramref name="first"/>.</summary>
        private void SetAllowed(int block, int first, int freeBits) =>
            _entries.AsSpan(block + first, 1 << freeBits).Fill(Allowed);

        public int[] Finish() => _used == _entries.Length ? _entries : _entries[.._used];
    }
}
