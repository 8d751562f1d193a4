namespace Forwarder.Configuration;

/// <summary>A YAML scalar: its text and whether it was written plain (unquoted), which numbers must be.</summary>
internal sealed class ConfigScalar(string value, bool isPlain, int line, int column) : ConfigNode(line, column)
{
    public string Value { get; } = value;

    public bool IsPlain { get; } = isPlain;

    /// <summary>A plain empty value, <c>~</c> or <c>null</c>: YAML's null.</summary>
    public bool IsNull => IsPlain && Value is "" or "~" or "null" or "Null" or "NULL";

    public override long ExpandedSize => 1;

    public override int Height => 1;

    public override string Kind => IsNull ? "no value" : "a value";
}
