using System.Runtime.InteropServices;

namespace Forwarder.FlowTable;

/// <summary>
/// A fixed block of native memory for a <see cref="ConnectionTable"/>: aligned to 2 MiB, advised to the
/// kernel as a candidate for transparent huge pages (so that random lookups over tens of megabytes do
/// not miss the TLB on every access), zeroed and touched page by page at construction so that it is
/// resident from the start. Freed by the finalizer only, once nothing references it, so no pointer
/// into it can outlive it while its owner is in use.
/// </summary>
internal sealed unsafe partial class TableMemory
{
    private const nuint HugePage = 2 << 20;
    private const int PageSize = 4096;
    private const int MadviseHugePage = 14; // MADV_HUGEPAGE

    public TableMemory(long bytes)
    {
        Bytes = bytes;
        Start = (byte*)NativeMemory.AlignedAlloc((nuint)bytes, HugePage);
        GC.AddMemoryPressure(bytes);
        _ = Madvise(Start, (nuint)bytes, MadviseHugePage); // only advice: without THP the table works on small pages
        NativeMemory.Clear(Start, (nuint)bytes);
    }

    ~TableMemory()
    {
        NativeMemory.AlignedFree(Start);
        GC.RemoveMemoryPressure(Bytes);
    }

    public byte* Start { get; }

    public long Bytes { get; }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(void* address, nuint length, int advice);
}
