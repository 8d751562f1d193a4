namespace Forwarder.Configuration;

/// <summary>A YAML sequence (list).</summary>
internal sealed class ConfigSequence(IReadOnlyList<ConfigNode> items, int line, int column) : ConfigNode(line, column)
{
    public IReadOnlyList<ConfigNode> Items { get; } = items;

    public override long ExpandedSize { get; } = 1 + items.Sum(i => i.ExpandedSize);

    public override int Height { get; } = 1 + items.Select(i => i.Height).DefaultIfEmpty(0).Max();

    public override string Kind => "a list";
}
