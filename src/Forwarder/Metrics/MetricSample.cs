namespace Forwarder.Metrics;

/// <summary>One sample read back from the text format: <c>name{labels} value</c>.</summary>
public sealed record MetricSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    /// <summary>The value of a label, "" when the sample has no such label.</summary>
    public string Label(string name) => Labels.GetValueOrDefault(name) ?? "";
}
