using System.Runtime.InteropServices;

namespace AfXdp.Interop;

/// <summary>libbpf's calls for loading, attaching and querying XDP programs and maps. Set-up only.</summary>
internal static unsafe partial class LibBpf
{
    private const string Library = "libbpf.so.1";

    [LibraryImport(Library, EntryPoint = "bpf_object__open_file", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial nint BpfObjectOpenFile(string path, nint options);

    [LibraryImport(Library, EntryPoint = "bpf_object__load")]
    public static partial int BpfObjectLoad(nint obj);

    [LibraryImport(Library, EntryPoint = "bpf_object__close")]
    public static partial void BpfObjectClose(nint obj);

    [LibraryImport(Library, EntryPoint = "bpf_object__find_program_by_name", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint BpfObjectFindProgramByName(nint obj, string name);

    [LibraryImport(Library, EntryPoint = "bpf_object__find_map_fd_by_name", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int BpfObjectFindMapFdByName(nint obj, string name);

    [LibraryImport(Library, EntryPoint = "bpf_program__fd")]
    public static partial int BpfProgramFd(nint program);

    [LibraryImport(Library, EntryPoint = "bpf_xdp_attach")]
    public static partial int BpfXdpAttach(int ifindex, int programFd, uint flags, nint options);

    [LibraryImport(Library, EntryPoint = "bpf_xdp_detach")]
    public static partial int BpfXdpDetach(int ifindex, uint flags, nint options);

    [LibraryImport(Library, EntryPoint = "bpf_xdp_query_id")]
    public static partial int BpfXdpQueryId(int ifindex, int flags, out uint programId);

    [LibraryImport(Library, EntryPoint = "bpf_xdp_query")]
    public static partial int BpfXdpQuery(int ifindex, int flags, XdpQueryOptions* options);

    [LibraryImport(Library, EntryPoint = "bpf_prog_get_fd_by_id", SetLastError = true)]
    public static partial int BpfProgGetFdById(uint id);

    [LibraryImport(Library, EntryPoint = "bpf_map_get_fd_by_id")]
    public static partial int BpfMapGetFdById(uint id);

    [LibraryImport(Library, EntryPoint = "bpf_obj_get_info_by_fd")]
    public static partial int BpfObjGetInfoByFd(int fd, void* info, ref uint infoLength);

    [LibraryImport(Library, EntryPoint = "bpf_map_update_elem")]
    public static partial int BpfMapUpdateElem(int fd, void* key, void* value, ulong flags);

    [LibraryImport(Library, EntryPoint = "bpf_map_lookup_elem")]
    public static partial int BpfMapLookupElem(int fd, void* key, void* value);

    [LibraryImport(Library, EntryPoint = "bpf_map_delete_elem")]
    public static partial int BpfMapDeleteElem(int fd, void* key);

    [LibraryImport(Library, EntryPoint = "bpf_map_get_next_key")]
    public static partial int BpfMapGetNextKey(int fd, void* key, void* nextKey);

    [LibraryImport(Library, EntryPoint = "libbpf_num_possible_cpus")]
    public static partial int LibbpfNumPossibleCpus();

    [LibraryImport(Library, EntryPoint = "libbpf_set_print")]
    public static partial nint LibbpfSetPrint(delegate* unmanaged<int, byte*, nint, int> printer);

    /// <summary>libbpf's <c>struct bpf_xdp_query_opts</c> (32 bytes): the program id of each attachment mode.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 32)]
    public struct XdpQueryOptions
    {
        public nuint Size;
        public uint ProgramId;
        public uint DriverProgramId;
        public uint HardwareProgramId;
        public uint SkbProgramId;
        public byte AttachMode;
    }
}
