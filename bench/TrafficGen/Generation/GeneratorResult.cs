namespace TrafficGen.Generation;

/// <summary>What a run offered: frames the program produced (its own per-CPU counter) over the run's wall time.</summary>
public sealed record GeneratorResult(ulong Frames, double Seconds)
{
    public double Pps => Seconds > 0 ? Frames / Seconds : 0;
}
