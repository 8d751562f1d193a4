namespace Forwarder.Configuration;

/// <summary>A YAML sequence (list).</summary>
internal sealed class ConfigSequence(IReadOnlyList<ConfigNode> items, int line, int column) : ConfigNode(line, column)
{
    public IReadOnlyList<ConfigNode> Items { get; } = items;

    public override long ExpandedSize { get; } = 1 + SumOfExpandedSizes(items);

    public override int Height { get; } = 1 + GreatestHeight(items);

    public override string Kind => "a list";

    // Plain loops: LINQ's Sum and Max over these are generic code no ReadyToRun image holds, JIT-compiled on every start.
    private static long SumOfExpandedSizes(IReadOnlyList<ConfigNode> items)
    {
        long sum = 0;
        for (int i = 0; i < items.Count; i++)
            sum += items[i].ExpandedSize;
        return sum;
    }

    private static int GreatestHeight(IReadOnlyList<ConfigNode> items)
    {
        int greatest = 0;
        for (int i = 0; i < items.Count; i++)
            greatest = Math.Max(greatest, items[i].Height);
        return greatest;
    }
}
