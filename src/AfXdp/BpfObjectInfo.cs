using System.Runtime.InteropServices;
using AfXdp.Interop;

namespace AfXdp;

/// <summary>
/// What the kernel tells about a loaded program or map (bpf_obj_get_info_by_fd). Offsets are those
/// of <c>struct bpf_prog_info</c> and <c>struct bpf_map_info</c> in linux/bpf.h; the buffer is
/// larger than either struct and zeroed, as the kernel requires of the bytes it does not know.
/// </summary>
internal static unsafe class BpfObjectInfo
{
    /// <summary>Larger than any kernel's info struct: the size of the buffer every method here takes.</summary>
    public const int Bytes = 1024;
    private const int ProgramTypeOffset = 0;
    private const int ProgramIdOffset = 4;
    private const int ProgramMapCountOffset = 52;
    private const int ProgramMapIdsOffset = 56;
    private const int ProgramNameOffset = 64;
    private const int MapTypeOffset = 0;
    private const int MapKeySizeOffset = 8;
    private const int MapValueSizeOffset = 12;
    private const int MapMaxEntriesOffset = 16;
    private const int MapNameOffset = 24;
    private const int MaxMapIds = 64;

    /// <summary>Reads the info of <paramref name="fd"/> into <paramref name="info"/>; libbpf's result, a negative errno on failure.</summary>
    public static int TryRead(int fd, byte* info)
    {
        new Span<byte>(info, Bytes).Clear();
        uint length = Bytes;
        return LibBpf.BpfObjGetInfoByFd(fd, info, ref length);
    }

    /// <summary>Reads the info of <paramref name="fd"/>, <paramref name="what"/> it is said to be, or throws.</summary>
    public static void Read(int fd, byte* info, string what) =>
        XdpException.ThrowIfNegative(TryRead(fd, info), "bpf_obj_get_info_by_fd", $"{what} (fd {fd})");

    public static uint ProgramType(byte* info) => *(uint*)(info + ProgramTypeOffset);

    public static uint ProgramId(byte* info) => *(uint*)(info + ProgramIdOffset);

    public static string ProgramName(byte* info) => NameAt(info + ProgramNameOffset);

    public static string MapName(byte* info) => NameAt(info + MapNameOffset);

    public static BpfMapShape MapShape(byte* info) => new(
        *(uint*)(info + MapTypeOffset), *(uint*)(info + MapKeySizeOffset), *(uint*)(info + MapValueSizeOffset), *(uint*)(info + MapMaxEntriesOffset));

    /// <summary>The ids of the maps the program behind <paramref name="programFd"/> uses.</summary>
    public static uint[] ProgramMapIds(int programFd)
    {
        uint* ids = stackalloc uint[MaxMapIds];
        byte* info = stackalloc byte[Bytes];
        new Span<byte>(info, Bytes).Clear();
        // The kernel fills in as many ids as the count says there is room for, and sets the count to how many there are.
        *(uint*)(info + ProgramMapCountOffset) = MaxMapIds;
        *(ulong*)(info + ProgramMapIdsOffset) = (ulong)ids;
        uint length = Bytes;
        XdpException.ThrowIfNegative(LibBpf.BpfObjGetInfoByFd(programFd, info, ref length), "bpf_obj_get_info_by_fd", $"program (fd {programFd})");
        uint count = Math.Min(*(uint*)(info + ProgramMapCountOffset), MaxMapIds);
        return new ReadOnlySpan<uint>(ids, (int)count).ToArray();
    }

    private static string NameAt(byte* name) => Marshal.PtrToStringUTF8((nint)name) ?? "";
}
