namespace TrafficGen.Generation;

/// <summary>
/// How the generated flows are laid out: <see cref="Ports"/> consecutive source ports for each of
/// <see cref="Sources"/> consecutive source addresses. Each generating CPU walks them in that order.
/// </summary>
public readonly record struct FlowPlan(uint Ports, uint Sources)
{
    public ulong Flows => (ulong)Ports * Sources;

    /// <summary>Splits <paramref name="flows"/> evenly over <paramref name="sources"/> source addresses.</summary>
    public static FlowPlan Create(int flows, int sources)
    {
        if (flows < 1)
            throw new ArgumentException($"--flows must be at least 1, got {flows}");
        if (sources < 1 || sources > flows)
            throw new ArgumentException($"--sources must be between 1 and --flows ({flows}), got {sources}");
        if (flows % sources != 0)
            throw new ArgumentException($"--flows ({flows}) must be a multiple of --sources ({sources})");
        return new FlowPlan((uint)(flows / sources), (uint)sources);
    }
}
