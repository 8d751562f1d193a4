using AfXdp.Interop;

namespace AfXdp;

/// <summary>
/// Runs an XDP program once over a frame with BPF_PROG_RUN (no device involved) and returns its
/// verdict and the frame as the program left it: the kernel's own answer to "what does this program
/// do with these bytes". For fixtures and offline checks; <see cref="LiveFrames"/> is the live-traffic mode.
/// </summary>
public static unsafe class ProgramTestRun
{
    private const int MaxFrame = 4096;

    public static (uint Verdict, byte[] Output) Run(int programFd, ReadOnlySpan<byte> frame)
    {
        var output = new byte[MaxFrame];
        fixed (byte* input = frame)
        fixed (byte* outputBytes = output)
        {
            var options = new LibBpf.TestRunOptions
            {
                Size = (nuint)sizeof(LibBpf.TestRunOptions),
                DataIn = input,
                DataSizeIn = (uint)frame.Length,
                DataOut = outputBytes,
                DataSizeOut = MaxFrame,
                Repeat = 1,
            };
            XdpException.ThrowIfNegative(LibBpf.BpfProgTestRunOpts(programFd, &options), "bpf_prog_test_run_opts");
            return (options.ReturnValue, output.AsSpan(0, (int)options.DataSizeOut).ToArray());
        }
    }

    /// <summary>
    /// Runs the program <paramref name="repeat"/> times over <paramref name="frame"/> in one call (the
    /// kernel's repeat mode: the frame is set up once, the program runs back to back) and returns the last
    /// verdict and the kernel's own average time of one run in nanoseconds. Allocates nothing; for benchmarks.
    /// </summary>
    public static (uint Verdict, uint NanosecondsPerRun) Repeat(int programFd, ReadOnlySpan<byte> frame, int repeat)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(repeat);
        fixed (byte* input = frame)
        {
            var options = new LibBpf.TestRunOptions
            {
                Size = (nuint)sizeof(LibBpf.TestRunOptions),
                DataIn = input,
                DataSizeIn = (uint)frame.Length,
                Repeat = repeat,
            };
            XdpException.ThrowIfNegative(LibBpf.BpfProgTestRunOpts(programFd, &options), "bpf_prog_test_run_opts");
            return (options.ReturnValue, options.Duration);
        }
    }
}
