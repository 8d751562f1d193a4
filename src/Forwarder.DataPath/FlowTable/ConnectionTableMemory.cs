using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Forwarder.FlowTable;

/// <summary>
/// Where a <see cref="ConnectionTable"/>'s two regions live: its buckets' tag and stamp words
/// (<see cref="BucketBytesOf"/>) and its entries (<see cref="EntryBytesOf"/>), each cache-line aligned. The
/// default is pinned, zeroed memory of the process (<see cref="Pinned"/>); the forwarder maps shared memory
/// instead, so that an upgrade's successor maps the same table and established connections keep their
/// backends. The layout is the table's whichever memory holds it.
/// </summary>
public abstract unsafe class ConnectionTableMemory
{
    private const int CacheLine = 64;
    private const int PageSize = 4096;

    public abstract byte* Buckets { get; }

    public abstract byte* Entries { get; }

    public abstract long BucketBytes { get; }

    public abstract long EntryBytes { get; }

    /// <summary>True when the memory already holds a table (a predecessor's): the table counts its entries rather than start empty.</summary>
    public abstract bool HoldsEntries { get; }

    public static long BucketBytesOf(ConnectionTableOptions options) => (long)options.Capacity * 2 * sizeof(uint);

    public static long EntryBytesOf(ConnectionTableOptions options) => (long)options.Capacity * FlowEntry.Bytes;

    /// <summary>Zeroed memory on the pinned object heap, every page touched now so the kernel backs it before the data path runs.</summary>
    public static ConnectionTableMemory Pinned(ConnectionTableOptions options) => new PinnedMemory(BucketBytesOf(options), EntryBytesOf(options));

    private sealed class PinnedMemory : ConnectionTableMemory
    {
        private readonly byte[] _bucketStorage;
        private readonly byte[] _entryStorage;

        public PinnedMemory(long bucketBytes, long entryBytes)
        {
            BucketBytes = bucketBytes;
            EntryBytes = entryBytes;
            _bucketStorage = AllocateResident((int)bucketBytes, out byte* buckets);
            _entryStorage = AllocateResident((int)entryBytes, out byte* entries);
            Buckets = buckets;
            Entries = entries;
        }

        public override byte* Buckets { get; }
        public override byte* Entries { get; }
        public override long BucketBytes { get; }
        public override long EntryBytes { get; }
        public override bool HoldsEntries => false;

        /// <summary>
        /// A zeroed array of <paramref name="bytes"/> plus a line's slack on the pinned object heap, and in
        /// <paramref name="aligned"/> its first cache-line-aligned byte. Every page is written once so the
        /// kernel backs it now rather than on the data path.
        /// </summary>
        private static byte[] AllocateResident(int bytes, out byte* aligned)
        {
            byte[] storage = GC.AllocateArray<byte>(bytes + CacheLine, pinned: true);
            byte* start = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(storage));
            aligned = (byte*)(((nuint)start + CacheLine - 1) & ~(nuint)(CacheLine - 1));
            for (int offset = 0; offset < bytes; offset += PageSize)
                aligned[offset] = 0;
            return storage;
        }
    }
}
