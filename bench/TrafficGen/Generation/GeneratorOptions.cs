namespace TrafficGen.Generation;

/// <summary>How hard and how long to generate.</summary>
/// <param name="Cpus">One injecting thread per CPU, pinned there. XDP frames land on the peer's queue numbered (CPU mod queue count).</param>
/// <param name="Rate">Frames per second over all CPUs; 0 = as fast as possible.</param>
/// <param name="Duration">How long to run; <see cref="TimeSpan.Zero"/> = until stopped or <paramref name="Count"/> is reached.</param>
/// <param name="Count">Frames to offer over all CPUs; 0 = no limit.</param>
/// <param name="BatchSize">Frames the kernel runs and sends per batch (1–256).</param>
/// <param name="Chunk">Frames per BPF_PROG_RUN call: the granularity at which a thread notices the end.</param>
/// <param name="RxQueue">The receive queue of the sending interface the frames appear to arrive on.</param>
/// <param name="ReportInterval">Seconds between progress lines; 0 = none.</param>
public sealed record GeneratorOptions(
    IReadOnlyList<int> Cpus,
    long Rate,
    TimeSpan Duration,
    long Count,
    int BatchSize,
    int Chunk,
    uint RxQueue,
    double ReportInterval);
