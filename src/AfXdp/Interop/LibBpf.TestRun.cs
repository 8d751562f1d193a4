using System.Runtime.InteropServices;

namespace AfXdp.Interop;

/// <summary>libbpf's BPF_PROG_RUN wrapper, used to inject frames with an XDP program (live-frames mode).</summary>
internal static unsafe partial class LibBpf
{
    /// <summary>BPF_F_TEST_XDP_LIVE_FRAMES: the frames the program returns XDP_TX/REDIRECT/PASS for really go out.</summary>
    public const uint TestXdpLiveFrames = 1u << 1;

    [LibraryImport(Library, EntryPoint = "bpf_prog_test_run_opts")]
    public static partial int BpfProgTestRunOpts(int programFd, TestRunOptions* options);

    /// <summary>
    /// libbpf's <c>struct bpf_test_run_opts</c> (x86-64: 80 bytes). <see cref="Size"/> comes first and must be
    /// the struct's size: libbpf checks it, and every byte past the fields it knows must be zero.
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct TestRunOptions
    {
        public nuint Size;
        public void* DataIn;
        public void* DataOut;
        public uint DataSizeIn;
        public uint DataSizeOut;
        public void* ContextIn;
        public void* ContextOut;
        public uint ContextSizeIn;
        public uint ContextSizeOut;
        public uint ReturnValue;
        public int Repeat;
        public uint Duration;
        public uint Flags;
        public uint Cpu;
        public uint BatchSize;
    }

    /// <summary>
    /// The kernel's <c>struct xdp_md</c> as BPF_PROG_RUN takes it for context: Data must be 0 (no metadata),
    /// DataEnd the frame length, EgressIfindex 0; the ingress interface is looked up in the caller's network namespace.
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct XdpMd
    {
        public uint Data;
        public uint DataEnd;
        public uint DataMeta;
        public uint IngressIfindex;
        public uint RxQueueIndex;
        public uint EgressIfindex;
    }
}
