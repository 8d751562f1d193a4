using System.Diagnostics;
using AfXdp;

namespace TrafficGen.Generation;

/// <summary>
/// One generating thread's work: it calls BPF_PROG_RUN in chunks until its share of the
/// count is offered, the deadline passes or it is stopped. With a rate, it waits before each chunk
/// until the chunk is due, so the average rate holds while each chunk still goes out at full speed.
/// </summary>
internal sealed class LiveFramesInjector : IInjector
{
    private readonly XdpProgram _program;
    private readonly byte[] _frame;
    private readonly int _ifindex;
    private readonly long _rate;
    private readonly long _budget;
    private readonly GeneratorOptions _options;

    public LiveFramesInjector(XdpProgram program, byte[] frame, int ifindex, long rate, long budget, GeneratorOptions options)
    {
        _program = program;
        _frame = frame;
        _ifindex = ifindex;
        _rate = rate;
        _budget = budget;
        _options = options;
    }

    public void Run(long startTimestamp, TimeSpan duration, CancellationToken stop)
    {
        using var frames = new LiveFrames(_program, _frame, _ifindex, _options.RxQueue, _options.BatchSize);
        if (_rate == 0)
            frames.InjectFor(duration, _budget, _options.Chunk, stop);
        else
            InjectPaced(frames, startTimestamp, duration, stop);
    }

    private void InjectPaced(LiveFrames frames, long startTimestamp, TimeSpan duration, CancellationToken stop)
    {
        // Chunks of about 20 ms: each call has a fixed cost of 0.3 ms or more, so finer pacing would cost rate.
        int chunk = (int)Math.Clamp(_rate / 50, 1, _options.Chunk);
        long deadline = duration == Timeout.InfiniteTimeSpan ? long.MaxValue : startTimestamp + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        long issued = 0;
        while (issued < _budget && !stop.IsCancellationRequested && Stopwatch.GetTimestamp() < deadline)
        {
            long due = startTimestamp + (long)(issued * (double)Stopwatch.Frequency / _rate);
            long early = due - Stopwatch.GetTimestamp();
            int repeat = (int)Math.Min(chunk, _budget - issued);
            if (early > Stopwatch.Frequency / 500) // more than 2 ms early: sleep, otherwise spin
                stop.WaitHandle.WaitOne(1);
            else if (early > 0)
                Thread.SpinWait(100);
            else if (frames.Inject(repeat))
                issued += repeat;
        }
    }
}
