using System.Globalization;
using System.Text;

namespace Forwarder.Metrics;

/// <summary>
/// Writes the Prometheus text exposition format, version 0.0.4: each metric family is a <c># HELP</c> line,
/// a <c># TYPE</c> line, then its samples, one per line (<c>name{label="value",...} value</c>).
/// It refuses what would make the output invalid rather than writing it: a bad metric or label name,
/// a counter whose name does not end in <c>_total</c>, a family written twice, the same series twice
/// (labels compared without regard to order), or a sample before any family.
/// </summary>
public sealed class PrometheusTextWriter
{
    /// <summary>The content type of the format, as Prometheus asks for it.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly StringBuilder _text = new();
    private readonly HashSet<string> _families = new(StringComparer.Ordinal);
    private readonly HashSet<string> _series = new(StringComparer.Ordinal);
    private string? _family;

    /// <summary>Starts a metric family: its HELP and TYPE lines. The samples written next belong to it.</summary>
    public void Family(string name, MetricType type, string help)
    {
        if (!IsMetricName(name))
            throw new ArgumentException($"'{name}' is not a valid metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)", nameof(name));
        if (type == MetricType.Counter && !name.EndsWith("_total", StringComparison.Ordinal))
            throw new ArgumentException($"counter '{name}' must end in _total", nameof(name));
        if (!_families.Add(name))
            throw new InvalidOperationException($"metric family '{name}' is written twice");
        _family = name;
        _text.Append("# HELP ").Append(name).Append(' ').Append(EscapeHelp(help)).Append('\n');
        _text.Append("# TYPE ").Append(name).Append(' ').Append(type == MetricType.Counter ? "counter" : "gauge").Append('\n');
    }

    public void Sample(long value, params ReadOnlySpan<MetricLabel> labels) =>
        Sample(value.ToString(CultureInfo.InvariantCulture), labels);

    public void Sample(ulong value, params ReadOnlySpan<MetricLabel> labels) =>
        Sample(value.ToString(CultureInfo.InvariantCulture), labels);

    public void Sample(double value, params ReadOnlySpan<MetricLabel> labels) =>
        Sample(FormatDouble(value), labels);

    /// <summary>The text written so far.</summary>
    public override string ToString() => _text.ToString();

    private void Sample(string value, ReadOnlySpan<MetricLabel> labels)
    {
        string family = _family ?? throw new InvalidOperationException("a sample must follow the HELP and TYPE lines of its family");
        var line = new StringBuilder(family);
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (labels.Length > 0)
        {
            line.Append('{');
            for (int i = 0; i < labels.Length; i++)
            {
                MetricLabel label = labels[i];
                if (!IsLabelName(label.Name))
                    throw new ArgumentException($"'{label.Name}' is not a valid label name ([a-zA-Z_][a-zA-Z0-9_]*, not starting with __)", nameof(labels));
                if (!names.Add(label.Name))
                    throw new ArgumentException($"label '{label.Name}' is given twice in one sample of '{family}'", nameof(labels));
                if (i > 0)
                    line.Append(',');
                line.Append(label.Name).Append("=\"").Append(EscapeLabelValue(label.Value)).Append('"');
            }
            line.Append('}');
        }

        string series = family + "\0" + string.Join("\0", labels.ToArray().OrderBy(l => l.Name, StringComparer.Ordinal).Select(l => $"{l.Name}={l.Value}"));
        if (!_series.Add(series))
            throw new InvalidOperationException($"series {line} is written twice");
        _text.Append(line).Append(' ').Append(value).Append('\n');
    }

    /// <summary>In a label value, backslash, double quote and line feed are escaped.</summary>
    public static string EscapeLabelValue(string value) =>
        value.Replace("\\", @"\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", @"\n", StringComparison.Ordinal);

    /// <summary>In HELP text, backslash and line feed are escaped.</summary>
    public static string EscapeHelp(string help) =>
        help.Replace("\\", @"\\", StringComparison.Ordinal).Replace("\n", @"\n", StringComparison.Ordinal);

    public static string FormatDouble(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    public static bool IsMetricName(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] is '_' or ':') && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or ':');

    public static bool IsLabelName(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
        && !name.StartsWith("__", StringComparison.Ordinal);
}
