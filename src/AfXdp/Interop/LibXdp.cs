using System.Runtime.InteropServices;
using AfXdp.Rings;

namespace AfXdp.Interop;

/// <summary>
/// libxdp's AF_XDP creation calls, used only by <see cref="XskHandOver.Create"/>. Nothing here is called per
/// packet, nor by a process that adopts a socket: the rings are mapped by <see cref="XskRingMapping"/>.
/// </summary>
internal static unsafe partial class LibXdp
{
    private const string Library = "libxdp.so.1";

    /// <summary>libxdp_flags bit: do not load libxdp's default program; we attach our own.</summary>
    public const uint InhibitProgramLoad = 1;

    [LibraryImport(Library, EntryPoint = "xsk_umem__create")]
    public static partial int XskUmemCreate(out nint umem, void* area, ulong size, XskRingNative* fill, XskRingNative* completion, in XskUmemConfig config);

    [LibraryImport(Library, EntryPoint = "xsk_umem__delete")]
    public static partial int XskUmemDelete(nint umem);

    [LibraryImport(Library, EntryPoint = "xsk_umem__fd")]
    public static partial int XskUmemFd(nint umem);

    [LibraryImport(Library, EntryPoint = "xsk_socket__create", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int XskSocketCreate(out nint socket, string ifname, uint queueId, nint umem, XskRingNative* rx, XskRingNative* tx, in XskSocketConfig config);

    [LibraryImport(Library, EntryPoint = "xsk_socket__delete")]
    public static partial void XskSocketDelete(nint socket);

    [LibraryImport(Library, EntryPoint = "xsk_socket__fd")]
    public static partial int XskSocketFd(nint socket);
}
