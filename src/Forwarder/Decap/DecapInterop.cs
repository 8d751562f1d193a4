using System.Runtime.InteropServices;

namespace Forwarder.Decap;

/// <summary>
/// The libbpf calls decap needs beyond what AfXdp wraps: attaching with an explicit expected
/// program, querying both attachment modes, and reaching the maps of a program some earlier
/// process loaded (by id). Set-up and status only.
/// </summary>
internal static unsafe partial class DecapInterop
{
    private const string LibBpf = "libbpf.so.1";

    public const uint XdpFlagsUpdateIfNoExist = 1;
    public const uint XdpFlagsSkbMode = 2;
    public const uint XdpFlagsDriverMode = 4;
    public const uint XdpFlagsReplace = 16;

    [LibraryImport(LibBpf, EntryPoint = "bpf_xdp_attach")]
    public static partial int BpfXdpAttach(int ifindex, int programFd, uint flags, AttachOptions* options);

    [LibraryImport(LibBpf, EntryPoint = "bpf_xdp_query")]
    public static partial int BpfXdpQuery(int ifindex, int flags, QueryOptions* options);

    [LibraryImport(LibBpf, EntryPoint = "bpf_prog_get_fd_by_id")]
    public static partial int BpfProgGetFdById(uint id);

    [LibraryImport(LibBpf, EntryPoint = "bpf_map_get_fd_by_id")]
    public static partial int BpfMapGetFdById(uint id);

    [LibraryImport(LibBpf, EntryPoint = "bpf_obj_get_info_by_fd")]
    public static partial int BpfObjGetInfoByFd(int fd, void* info, ref uint infoLength);

    [LibraryImport(LibBpf, EntryPoint = "bpf_map_lookup_elem")]
    public static partial int BpfMapLookupElem(int fd, void* key, void* value);

    [LibraryImport(LibBpf, EntryPoint = "bpf_map_get_next_key")]
    public static partial int BpfMapGetNextKey(int fd, void* key, void* nextKey);

    [LibraryImport(LibBpf, EntryPoint = "libbpf_num_possible_cpus")]
    public static partial int LibbpfNumPossibleCpus();

    [LibraryImport("libc", EntryPoint = "close")]
    public static partial int Close(int fd);

    /// <summary>libbpf's <c>struct bpf_xdp_attach_opts</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct AttachOptions
    {
        public nuint Size;
        public int OldProgramFd;
    }

    /// <summary>libbpf's <c>struct bpf_xdp_query_opts</c> (32 bytes).</summary>
    [StructLayout(LayoutKind.Sequential, Size = 32)]
    public struct QueryOptions
    {
        public nuint Size;
        public uint ProgramId;
        public uint DriverProgramId;
        public uint HardwareProgramId;
        public uint SkbProgramId;
        public byte AttachMode;
    }
}
