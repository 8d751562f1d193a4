using System.Runtime.InteropServices;

namespace Forwarder.IntegrationTests.Decap;

/// <summary>
/// Runs an XDP program once over a frame with BPF_PROG_RUN (no device involved) and returns its
/// verdict and the frame as the program left it: the kernel's own answer to "what does this program
/// do with these bytes".
/// </summary>
public static unsafe partial class ProgramTestRun
{
    private const int MaxFrame = 4096;

    public static (uint Verdict, byte[] Output) Run(int programFd, ReadOnlySpan<byte> frame)
    {
        var output = new byte[MaxFrame];
        fixed (byte* input = frame)
        fixed (byte* outputBytes = output)
        {
            var options = new TestRunOptions
            {
                Size = (nuint)sizeof(TestRunOptions),
                DataIn = input,
                DataSizeIn = (uint)frame.Length,
                DataOut = outputBytes,
                DataSizeOut = MaxFrame,
                Repeat = 1,
            };
            int result = BpfProgTestRunOpts(programFd, &options);
            if (result < 0)
                throw new IOException($"bpf_prog_test_run_opts failed: errno {-result}");
            return (options.ReturnValue, output.AsSpan(0, (int)options.DataSizeOut).ToArray());
        }
    }

    [LibraryImport("libbpf.so.1", EntryPoint = "bpf_prog_test_run_opts")]
    private static partial int BpfProgTestRunOpts(int programFd, TestRunOptions* options);

    /// <summary>libbpf's <c>struct bpf_test_run_opts</c>; Size must be the struct's size.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct TestRunOptions
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
}
