using System.Runtime.InteropServices;

namespace AfXdp.Interop;

/// <summary>libbpf's calls for tc (clsact) hooks and the BPF filters attached to them. Set-up only.</summary>
internal static unsafe partial class LibBpf
{
    /// <summary><c>BPF_TC_F_REPLACE</c>: an attach replaces the filter at the same handle and priority.</summary>
    public const uint TcReplace = 1;

    [LibraryImport(Library, EntryPoint = "bpf_tc_hook_create")]
    public static partial int BpfTcHookCreate(TcHook* hook);

    [LibraryImport(Library, EntryPoint = "bpf_tc_hook_destroy")]
    public static partial int BpfTcHookDestroy(TcHook* hook);

    [LibraryImport(Library, EntryPoint = "bpf_tc_attach")]
    public static partial int BpfTcAttach(TcHook* hook, TcOptions* options);

    [LibraryImport(Library, EntryPoint = "bpf_tc_detach")]
    public static partial int BpfTcDetach(TcHook* hook, TcOptions* options);

    [LibraryImport(Library, EntryPoint = "bpf_tc_query")]
    public static partial int BpfTcQuery(TcHook* hook, TcOptions* options);

    /// <summary>libbpf's <c>struct bpf_tc_hook</c> (24 bytes): an interface and a direction (<c>BPF_TC_INGRESS</c> 1, <c>BPF_TC_EGRESS</c> 2).</summary>
    [StructLayout(LayoutKind.Sequential, Size = 24)]
    public struct TcHook
    {
        public nuint Size;
        public int Ifindex;
        public int AttachPoint;
        public uint Parent;
    }

    /// <summary>libbpf's <c>struct bpf_tc_opts</c> (32 bytes): which filter (handle, priority) and which program.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 32)]
    public struct TcOptions
    {
        public nuint Size;
        public int ProgramFd;
        public uint Flags;
        public uint ProgramId;
        public uint Handle;
        public uint Priority;
    }
}
