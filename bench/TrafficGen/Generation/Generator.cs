using System.Diagnostics;
using AfXdp;
using TrafficGen.Frames;

namespace TrafficGen.Generation;

/// <summary>
/// Offers copies of a template frame on an interface, one pinned thread per CPU, each walking the flows of
/// the <see cref="GeneratorConfig"/>: with bpf/trafficgen.c in live-frames mode (XDP_TX) where the kernel
/// allows it, else through one AF_XDP socket per CPU (<see cref="InjectionMethod"/>). Frames leave the
/// interface, so on a veth they arrive at the peer, which needs an XDP program attached to accept them.
/// </summary>
public sealed class Generator
{
    public const string ProgramName = "xdp_trafficgen";

    private readonly XdpProgram _program;
    private readonly BpfMap _counters;
    private readonly GeneratorConfig _config;
    private readonly GeneratorOptions _options;
    private SocketInjector[] _sockets = [];

    public Generator(XdpProgram program, GeneratorConfig config, GeneratorOptions options)
    {
        if (options.Cpus.Count == 0)
            throw new ArgumentException("At least one CPU is needed");
        _program = program;
        _config = config;
        _options = options;
        program.GetMap("config").Update(0u, config);
        _counters = program.GetMap("counters");
    }

    /// <summary>Frames produced on all CPUs: by the program since it was loaded, plus those the sockets sent.</summary>
    public ulong FramesProduced => _counters.SumPerCpu(0) + (ulong)_sockets.Sum(s => s.Completed);

    /// <summary>
    /// Whether this kernel lets BPF_PROG_RUN send live frames: one frame is offered to find out (before any
    /// measurement). Some kernels refuse the mode outright (EPERM, even to root).
    /// </summary>
    public bool LiveFramesAllowed(byte[] frame, int ifindex)
    {
        using var probe = new LiveFrames(_program, frame, ifindex, _options.RxQueue, 1);
        try
        {
            probe.Inject(1);
            return true;
        }
        catch (XdpException e) when (e.Errno == Errnos.EPERM)
        {
            return false;
        }
    }

    /// <summary>Runs until the duration or count is reached or <paramref name="cancellation"/> fires; reports progress to <paramref name="report"/>.</summary>
    public GeneratorResult Run(InjectionMethod method, FrameSpec spec, byte[] frame, NetworkInterface nic, TextWriter report, CancellationToken cancellation)
    {
        int threads = _options.Cpus.Count;
        var injectors = new IInjector[threads];
        _sockets = method == InjectionMethod.Socket ? new SocketInjector[threads] : [];
        for (int i = 0; i < threads; i++)
        {
            long rate = Share(_options.Rate, i, threads), budget = Budget(i, threads);
            if (method == InjectionMethod.Socket)
            {
                // One socket per CPU, on the queue live frames from that CPU would land on at the peer.
                uint queue = (uint)(_options.Cpus[i] % Math.Max(1, nic.TxQueues));
                injectors[i] = _sockets[i] = new SocketInjector(nic, queue, frame, new FlowWriter(spec, _config), rate, budget);
            }
            else
            {
                injectors[i] = new LiveFramesInjector(_program, frame, nic.Index, rate, budget, _options);
            }
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        ulong before = FramesProduced;
        TimeSpan duration = _options.Duration > TimeSpan.Zero ? _options.Duration : Timeout.InfiniteTimeSpan;
        long start = Stopwatch.GetTimestamp();
        var failures = new Exception?[threads];
        var workers = injectors.Select((injector, i) => new Thread(() =>
        {
            try
            {
                CpuAffinity.PinCurrentThread(_options.Cpus[i]);
                injector.Run(start, duration, stop.Token);
            }
            catch (Exception e)
            {
                failures[i] = e;
                stop.Cancel(); // one thread failing stops the others
            }
        })
        {
            Name = $"inject-cpu{_options.Cpus[i]}",
            IsBackground = true,
        }).ToArray();
        foreach (Thread worker in workers)
            worker.Start();

        ReportUntilDone(workers, start, before, report);
        foreach (Thread worker in workers)
            worker.Join();
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        Exception? failure = failures.FirstOrDefault(f => f is not null);
        if (failure is not null)
            throw failure;
        return new GeneratorResult(FramesProduced - before, seconds);
    }

    private void ReportUntilDone(Thread[] workers, long start, ulong before, TextWriter report)
    {
        int intervalMs = _options.ReportInterval > 0 ? (int)(_options.ReportInterval * 1000) : Timeout.Infinite;
        ulong last = before;
        long lastTime = start;
        foreach (Thread worker in workers)
        {
            while (!worker.Join(intervalMs))
            {
                ulong now = FramesProduced;
                long time = Stopwatch.GetTimestamp();
                double seconds = (time - lastTime) / (double)Stopwatch.Frequency;
                double elapsed = (time - start) / (double)Stopwatch.Frequency;
                report.WriteLine($"t={elapsed:F1}s offered={(now - last) / seconds / 1e6:F3} Mpps");
                last = now;
                lastTime = time;
            }
        }
    }

    /// <summary>Thread <paramref name="i"/>'s part of a total split over <paramref name="threads"/>; 0 stays 0 (no limit).</summary>
    private static long Share(long total, int i, int threads) => total <= 0 ? 0 : total / threads + (i < total % threads ? 1 : 0);

    private long Budget(int i, int threads) => _options.Count > 0 ? Share(_options.Count, i, threads) : long.MaxValue;
}
