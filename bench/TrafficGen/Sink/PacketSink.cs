using System.Diagnostics;
using AfXdp;

namespace TrafficGen.Sink;

/// <summary>
/// A counting XDP program (drop, or MAC swap and XDP_TX) attached to an interface: the receiving end of a
/// measurement and the kernel baselines. Rates come from the program's own per-CPU counters, i.e. from
/// frames that really arrived. Dispose detaches it.
/// </summary>
public sealed class PacketSink : IDisposable
{
    private readonly XdpProgram _program;

    private PacketSink(XdpProgram program)
    {
        _program = program;
        Counters = new SinkCounters(program.GetMap("counters"));
    }

    public SinkCounters Counters { get; }

    public static PacketSink Attach(string bpfDirectory, SinkAction action, NetworkInterface iface, XdpMode mode)
    {
        (string file, string name) = action == SinkAction.Drop ? ("xdp_drop.o", "xdp_drop_count") : ("xdp_tx.o", "xdp_tx_swap");
        XdpProgram program = XdpProgram.Load(Path.Combine(bpfDirectory, file), name);
        try
        {
            program.Attach(iface.Index, mode);
            return new PacketSink(program);
        }
        catch
        {
            program.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Waits for the first frame, lets the warm-up pass, then measures each run. Returns null when no frame
    /// arrived in time or the measurement was cancelled.
    /// </summary>
    public RateSummary? Measure(MeasurementPlan plan, TextWriter report, CancellationToken cancellation)
    {
        ulong initial = Counters.Packets;
        long waitUntil = Stopwatch.GetTimestamp() + (long)(plan.FirstFrameTimeout * Stopwatch.Frequency);
        while (Counters.Packets == initial)
        {
            if (Stopwatch.GetTimestamp() > waitUntil || cancellation.WaitHandle.WaitOne(10))
                return null;
        }
        report.WriteLine($"TRAFFIC warm-up {plan.Warmup:F1}s");
        if (Sleep(plan.Warmup, cancellation))
            return null;

        var rates = new List<double>(plan.Runs);
        for (int run = 1; run <= plan.Runs; run++)
        {
            ulong packets = Counters.Packets;
            long start = Stopwatch.GetTimestamp();
            if (Sleep(plan.RunSeconds, cancellation))
                return null;
            ulong end = Counters.Packets;
            double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            double rate = (end - packets) / seconds;
            rates.Add(rate);
            report.WriteLine($"RUN {run} seconds={seconds:F6} start={packets} end={end} mpps={rate / 1e6:F3}");
        }
        return new RateSummary(rates);
    }

    /// <summary>Prints the rate every <paramref name="interval"/> seconds until cancelled.</summary>
    public void ReportUntilStopped(double interval, TextWriter report, CancellationToken cancellation)
    {
        ulong last = Counters.Packets;
        long lastTime = Stopwatch.GetTimestamp();
        while (!Sleep(interval, cancellation))
        {
            ulong packets = Counters.Packets;
            long time = Stopwatch.GetTimestamp();
            double seconds = (time - lastTime) / (double)Stopwatch.Frequency;
            report.WriteLine($"RATE mpps={(packets - last) / seconds / 1e6:F3} total={packets}");
            last = packets;
            lastTime = time;
        }
    }

    public void Dispose() => _program.Dispose();

    /// <summary>Returns true when cancelled before the time was up.</summary>
    private static bool Sleep(double seconds, CancellationToken cancellation) =>
        cancellation.WaitHandle.WaitOne(TimeSpan.FromSeconds(seconds));
}
