namespace Forwarder.Configuration;

/// <summary>
/// A YAML mapping with its entries in file order. Repeated keys are kept (the reader reports them);
/// entries brought in by a merge key (<c>&lt;&lt;: *anchor</c>) come last and never repeat an explicit key.
/// </summary>
internal sealed class ConfigMapping(IReadOnlyList<ConfigMappingEntry> entries, int line, int column) : ConfigNode(line, column)
{
    public IReadOnlyList<ConfigMappingEntry> Entries { get; } = entries;

    public override long ExpandedSize { get; } = 1 + entries.Sum(e => 1 + e.Value.ExpandedSize);

    public override int Height { get; } = 1 + entries.Select(e => e.Value.Height).DefaultIfEmpty(0).Max();

    public override string Kind => "a mapping";
}
