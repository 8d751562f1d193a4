using System.Diagnostics;
using System.Runtime.InteropServices;
using AfXdp.Interop;

namespace AfXdp;

/// <summary>
/// Injects copies of one frame into the kernel through an XDP program run with BPF_PROG_RUN in live-frames
/// mode: the program runs once per copy and its verdict is carried out for real, so XDP_TX sends the copy
/// out of the ingress interface (on a veth: into the peer), XDP_PASS hands it to the stack, XDP_DROP drops it.
/// The kernel may hand the program a recycled copy that an earlier run modified: programs must not read
/// fields they rewrite. The ingress interface is resolved in the calling thread's network namespace.
/// Set-up and traffic generation only; each <see cref="Inject"/> is one syscall.
/// </summary>
public sealed unsafe class LiveFrames : IDisposable
{
    /// <summary>The kernel's default and maximum number of frames per batch.</summary>
    public const int DefaultBatchSize = 64;
    public const int MaxBatchSize = 256;

    /// <summary>The smallest chunk <see cref="InjectFor"/> shrinks to near its deadline.</summary>
    private const int MinimumChunk = 64;

    private readonly XdpProgram _program;
    private readonly int _length;
    private readonly int _ingressIfindex;
    private readonly uint _rxQueueIndex;
    private readonly uint _batchSize;
    private byte* _frame;

    /// <param name="program">A loaded XDP program (it need not be attached anywhere).</param>
    /// <param name="frame">The template frame, from the Ethernet header on.</param>
    /// <param name="ingressIfindex">The interface the frames appear to arrive on, and leave by on XDP_TX.</param>
    /// <param name="rxQueueIndex">The receive queue they appear to arrive on (below the interface's queue count).</param>
    /// <param name="batchSize">Frames the kernel runs and sends per batch, 1 to 256.</param>
    public LiveFrames(XdpProgram program, ReadOnlySpan<byte> frame, int ingressIfindex, uint rxQueueIndex = 0, int batchSize = DefaultBatchSize)
    {
        ArgumentNullException.ThrowIfNull(program);
        if (frame.Length < 14)
            throw new ArgumentException($"A frame needs at least an Ethernet header (14 bytes), got {frame.Length}", nameof(frame));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ingressIfindex);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batchSize, MaxBatchSize);
        _program = program;
        _length = frame.Length;
        _ingressIfindex = ingressIfindex;
        _rxQueueIndex = rxQueueIndex;
        _batchSize = (uint)batchSize;
        _frame = (byte*)NativeMemory.Alloc((nuint)frame.Length);
        frame.CopyTo(new Span<byte>(_frame, frame.Length));
    }

    public int FrameLength => _length;

    /// <summary>
    /// Runs the program on <paramref name="repeat"/> copies of the frame (one syscall). Returns false when a
    /// signal cut the run short (EINTR): the copies already run were carried out, the rest were not.
    /// </summary>
    public bool Inject(int repeat)
    {
        ObjectDisposedException.ThrowIf(_frame == null, this);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(repeat);
        var context = new LibBpf.XdpMd
        {
            DataEnd = (uint)_length,
            IngressIfindex = (uint)_ingressIfindex,
            RxQueueIndex = _rxQueueIndex,
        };
        var options = new LibBpf.TestRunOptions
        {
            Size = (nuint)sizeof(LibBpf.TestRunOptions),
            DataIn = _frame,
            DataSizeIn = (uint)_length,
            ContextIn = &context,
            ContextSizeIn = (uint)sizeof(LibBpf.XdpMd),
            Repeat = repeat,
            Flags = LibBpf.TestXdpLiveFrames,
            BatchSize = _batchSize,
        };
        int result = LibBpf.BpfProgTestRunOpts(_program.ProgramFd, &options);
        if (result == -Errnos.EINTR)
            return false;
        XdpException.ThrowIfNegative(result, "bpf_prog_test_run_opts",
            $"live frames, program {_program.ProgramName}, ifindex {_ingressIfindex}, queue {_rxQueueIndex}, {_length}-byte frame");
        return true;
    }

    /// <summary>
    /// Injects in chunks of up to <paramref name="chunk"/> copies until <paramref name="maxFrames"/> are issued,
    /// the <paramref name="duration"/> (<see cref="Timeout.InfiniteTimeSpan"/>: none) has passed or
    /// <paramref name="cancellation"/> fires, whichever comes first. Each call has a fixed cost in the kernel
    /// (about 0.3 ms on an idle 6.18 VM, milliseconds on a busy one), so chunks should be large; near the end
    /// they shrink to what the rate seen so far fits into the time left. A signal only ends the current chunk.
    /// Returns the copies issued in chunks that completed.
    /// </summary>
    public long InjectFor(TimeSpan duration, long maxFrames, int chunk, CancellationToken cancellation = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunk);
        long start = Stopwatch.GetTimestamp();
        long deadline = duration == Timeout.InfiniteTimeSpan ? long.MaxValue : start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        long issued = 0;
        long now = start;
        while (issued < maxFrames && !cancellation.IsCancellationRequested && now < deadline)
        {
            long repeat = Math.Min(chunk, maxFrames - issued);
            if (issued > 0 && deadline != long.MaxValue)
            {
                double perTick = issued / (double)(now - start);
                repeat = Math.Clamp((long)(perTick * (deadline - now)), Math.Min(MinimumChunk, repeat), repeat);
            }
            if (Inject((int)repeat))
                issued += repeat;
            now = Stopwatch.GetTimestamp();
        }
        return issued;
    }

    public void Dispose()
    {
        if (_frame != null)
            NativeMemory.Free(_frame);
        _frame = null;
    }
}
