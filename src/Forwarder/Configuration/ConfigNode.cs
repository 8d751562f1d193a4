namespace Forwarder.Configuration;

/// <summary>A YAML node that remembers where it starts in the file (1-based line and column).</summary>
internal abstract class ConfigNode(int line, int column)
{
    public int Line { get; } = line;

    public int Column { get; } = column;

    /// <summary>Nodes reachable from this one with aliases expanded: bounds the work of reading a file full of aliases.</summary>
    public abstract long ExpandedSize { get; }

    /// <summary>Levels of nesting from this node down (1 for a value), aliases expanded: bounded by <see cref="ConfigYamlParser.MaxDepth"/>.</summary>
    public abstract int Height { get; }

    /// <summary>What this node is, for messages: "a mapping", "a list", "a value".</summary>
    public abstract string Kind { get; }
}
