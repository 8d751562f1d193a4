namespace Forwarder.Configuration;

/// <summary>
/// A YAML mapping with its entries in file order. Repeated keys are kept (the reader reports them);
/// entries brought in by a merge key (<c>&lt;&lt;: *anchor</c>) come last and never repeat an explicit key.
/// </summary>
internal sealed class ConfigMapping(IReadOnlyList<ConfigMappingEntry> entries, int line, int column) : ConfigNode(line, column)
{
    public IReadOnlyList<ConfigMappingEntry> Entries { get; } = entries;

    public override long ExpandedSize { get; } = 1 + SumOfExpandedSizes(entries);

    public override int Height { get; } = 1 + GreatestHeight(entries);

    // Plain loops, as in ConfigSequence: LINQ's Sum and Max here were JIT-compiled on every start.
    private static long SumOfExpandedSizes(IReadOnlyList<ConfigMappingEntry> entries)
    {
        long sum = 0;
        for (int i = 0; i < entries.Count; i++)
            sum += 1 + entries[i].Value.ExpandedSize;
        return sum;
    }

    private static int GreatestHeight(IReadOnlyList<ConfigMappingEntry> entries)
    {
        int greatest = 0;
        for (int i = 0; i < entries.Count; i++)
            greatest = Math.Max(greatest, entries[i].Value.Height);
        return greatest;
    }

    public override string Kind => "a mapping";
}
