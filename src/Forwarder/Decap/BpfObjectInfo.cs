using System.Runtime.InteropServices;
using AfXdp;

namespace Forwarder.Decap;

/// <summary>
/// What the kernel tells about a loaded program or map (bpf_obj_get_info_by_fd). Offsets are those
/// of <c>struct bpf_prog_info</c> and <c>struct bpf_map_info</c> in linux/bpf.h; the buffers are
/// larger than either struct and zeroed, as the kernel requires of the bytes it does not know.
/// </summary>
internal static unsafe class BpfObjectInfo
{
    private const int InfoBufferBytes = 512;
    private const int ProgramMapCountOffset = 52;
    private const int ProgramMapIdsOffset = 56;
    private const int ProgramNameOffset = 64;
    private const int MapNameOffset = 24;
    private const int MaxMapIds = 64;

    public static string ProgramName(int programFd)
    {
        byte* info = stackalloc byte[InfoBufferBytes];
        Read(programFd, info, "program");
        return Marshal.PtrToStringUTF8((nint)(info + ProgramNameOffset)) ?? "";
    }

    public static uint[] ProgramMapIds(int programFd)
    {
        uint* ids = stackalloc uint[MaxMapIds];
        byte* info = stackalloc byte[InfoBufferBytes];
        new Span<byte>(info, InfoBufferBytes).Clear();
        *(uint*)(info + ProgramMapCountOffset) = MaxMapIds;
        *(ulong*)(info + ProgramMapIdsOffset) = (ulong)ids;
        uint length = InfoBufferBytes;
        XdpException.ThrowIfNegative(DecapInterop.BpfObjGetInfoByFd(programFd, info, ref length), "bpf_obj_get_info_by_fd", "program");
        uint count = Math.Min(*(uint*)(info + ProgramMapCountOffset), MaxMapIds);
        return new ReadOnlySpan<uint>(ids, (int)count).ToArray();
    }

    public static string MapName(int mapFd)
    {
        byte* info = stackalloc byte[InfoBufferBytes];
        Read(mapFd, info, "map");
        return Marshal.PtrToStringUTF8((nint)(info + MapNameOffset)) ?? "";
    }

    private static void Read(int fd, byte* info, string what)
    {
        new Span<byte>(info, InfoBufferBytes).Clear();
        uint length = InfoBufferBytes;
        XdpException.ThrowIfNegative(DecapInterop.BpfObjGetInfoByFd(fd, info, ref length), "bpf_obj_get_info_by_fd", what);
    }
}
