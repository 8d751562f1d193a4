using System.Globalization;
using System.Runtime.InteropServices;
using Forwarder.FlowTable;
using Forwarder.Interop;

namespace Forwarder.Hosting;

/// <summary>
/// A worker's connection table in shared memory: one memfd (close-on-exec) mapped MAP_SHARED, the buckets at its start
/// and the entries at the next page, the table's own layout. An upgrade hands the memfd to the successor, which maps the
/// same pages (<see cref="Adopt"/>): the connections the predecessor remembered keep their backends. The mapping lives
/// as long as the process.
/// </summary>
public sealed unsafe class SharedTableMemory : ConnectionTableMemory
{
    private const long PageSize = 4096;

    private SharedTableMemory(int fd, byte* start, ConnectionTableOptions options, bool holdsEntries)
    {
        Fd = fd;
        BucketBytes = BucketBytesOf(options);
        EntryBytes = EntryBytesOf(options);
        Buckets = start;
        Entries = start + EntriesOffset(options);
        HoldsEntries = holdsEntries;
    }

    /// <summary>The memfd holding the table: what an upgrade hands on.</summary>
    public int Fd { get; }

    public override byte* Buckets { get; }
    public override byte* Entries { get; }
    public override long BucketBytes { get; }
    public override long EntryBytes { get; }
    public override bool HoldsEntries { get; }

    /// <summary>A new, zeroed table's memory for worker <paramref name="worker"/>, resident from the start.</summary>
    public static SharedTableMemory Create(ConnectionTableOptions options, int worker)
    {
        int fd = Posix.MemfdCreate($"forwarder-flow-table-{worker.ToString(CultureInfo.InvariantCulture)}", Posix.MFD_CLOEXEC);
        if (fd < 0)
            throw new InvalidOperationException($"connection table of worker {worker}: memfd_create: {LastError()}");
        if (Posix.Ftruncate(fd, TotalBytes(options)) != 0)
        {
            string error = LastError();
            Posix.Close(fd);
            throw new InvalidOperationException($"connection table of worker {worker}: ftruncate to {TotalBytes(options)} bytes: {error}");
        }
        return new SharedTableMemory(fd, Map(fd, options), options, holdsEntries: false);
    }

    /// <summary>Maps the table an upgrade's predecessor handed over as <paramref name="fd"/>; throws when its size does not fit <paramref name="options"/>.</summary>
    public static SharedTableMemory Adopt(ConnectionTableOptions options, int fd)
    {
        long size = Posix.Lseek(fd, 0, Posix.SEEK_END);
        if (size != TotalBytes(options))
            throw new InvalidOperationException($"the predecessor's connection table (fd {fd}) holds {size} bytes, not the {TotalBytes(options)} of --flow-table {options.Capacity}: give the same --flow-table");
        return new SharedTableMemory(fd, Map(fd, options), options, holdsEntries: true);
    }

    private static long EntriesOffset(ConnectionTableOptions options) => (BucketBytesOf(options) + PageSize - 1) / PageSize * PageSize;

    private static long TotalBytes(ConnectionTableOptions options) => EntriesOffset(options) + EntryBytesOf(options);

    private static byte* Map(int fd, ConnectionTableOptions options)
    {
        void* mapped = Posix.Mmap(null, (nuint)TotalBytes(options), Posix.PROT_READ | Posix.PROT_WRITE, Posix.MAP_SHARED | Posix.MAP_POPULATE, fd, 0);
        return mapped != (void*)-1 ? (byte*)mapped : throw new InvalidOperationException($"connection table: mmap of {TotalBytes(options)} bytes: {LastError()}");
    }

    private static string LastError() => Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError());
}
