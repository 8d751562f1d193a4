using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Forwarder.Tests.Metrics;

/// <summary>
/// A strict reader of the Prometheus text format 0.0.4, independent of the product's code: every line is a
/// HELP, a TYPE or a sample matching the grammar; each family has one HELP and one TYPE, both before its
/// samples, and its samples are together; counters end in <c>_total</c> and are never negative; no series
/// appears twice; the text ends with a line feed. Anything else fails the test with the line it is on.
/// </summary>
internal static partial class StrictPrometheusParser
{
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    public sealed record Family(string Name, string Type, string Help, List<Sample> Samples);

    public static IReadOnlyDictionary<string, Family> Parse(string text)
    {
        Assert.True(text.EndsWith('\n'), "the exposition must end with a line feed");
        var families = new Dictionary<string, Family>(StringComparer.Ordinal);
        var help = new Dictionary<string, string>(StringComparer.Ordinal);
        var series = new HashSet<string>(StringComparer.Ordinal);
        var closed = new HashSet<string>(StringComparer.Ordinal);
        string? current = null;
        string[] lines = text[..^1].Split('\n');
        for (int n = 0; n < lines.Length; n++)
        {
            string line = lines[n];
            string where = $"line {n + 1}: '{line}'";
            if (HelpLine().Match(line) is { Success: true } h)
            {
                string name = h.Groups["name"].Value;
                Assert.False(help.ContainsKey(name), $"{where}: second HELP for {name}");
                Assert.False(families.ContainsKey(name), $"{where}: HELP after the TYPE of {name}");
                help[name] = h.Groups["text"].Value;
                Close(ref current, closed);
                continue;
            }
            if (TypeLine().Match(line) is { Success: true } t)
            {
                string name = t.Groups["name"].Value;
                Assert.False(families.ContainsKey(name), $"{where}: second TYPE for {name}");
                Assert.True(help.ContainsKey(name), $"{where}: TYPE of {name} without a HELP before it");
                string type = t.Groups["type"].Value;
                if (type == "counter")
                    Assert.True(name.EndsWith("_total", StringComparison.Ordinal), $"{where}: counter {name} does not end in _total");
                Close(ref current, closed);
                families[name] = new Family(name, type, help[name], []);
                current = name;
                continue;
            }
            Assert.False(line.StartsWith('#'), $"{where}: a comment that is neither HELP nor TYPE");
            Match s = SampleLine().Match(line);
            Assert.True(s.Success, $"{where}: not a sample line");
            string sampleName = s.Groups["name"].Value;
            Assert.True(families.TryGetValue(sampleName, out Family? family), $"{where}: sample of {sampleName} before its HELP and TYPE");
            Assert.True(current == sampleName && !closed.Contains(sampleName), $"{where}: sample of {sampleName} apart from the rest of its family");
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (System.Text.RegularExpressions.Capture label in s.Groups["label"].Captures)
            {
                Match l = Label().Match(label.Value);
                Assert.True(labels.TryAdd(l.Groups["name"].Value, Unescape(l.Groups["value"].Value)), $"{where}: label {l.Groups["name"].Value} twice");
            }
            string key = sampleName + "{" + string.Join(",", labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")) + "}";
            Assert.True(series.Add(key), $"{where}: series {key} appears twice");
            double value = s.Groups["value"].Value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                "NaN" => double.NaN,
                var v => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture),
            };
            if (family!.Type == "counter")
                Assert.True(value >= 0, $"{where}: negative counter");
            family.Samples.Add(new Sample(sampleName, labels, value));
        }
        return families;
    }

    private static void Close(ref string? current, HashSet<string> closed)
    {
        if (current is not null)
            closed.Add(current);
        current = null;
    }

    private static string Unescape(string value)
    {
        var text = new StringBuilder();
        for (int i = 0; i < value.Length; i++)
        {
            if (value[i] != '\\')
            {
                text.Append(value[i]);
                continue;
            }
            i++;
            text.Append(value[i] switch { 'n' => '\n', '\\' => '\\', '"' => '"', var c => throw new FormatException($"bad escape \\{c}") });
        }
        return text.ToString();
    }

    private const string MetricName = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private const string LabelPair = "[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\"";
    private const string Number = @"(?:[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|[+-]Inf|NaN)";

    [GeneratedRegex($"^# HELP (?<name>{MetricName}) (?<text>(?:[^\\\\\\n]|\\\\[\\\\n])*)$")]
    private static partial Regex HelpLine();

    [GeneratedRegex($"^# TYPE (?<name>{MetricName}) (?<type>counter|gauge|histogram|summary|untyped)$")]
    private static partial Regex TypeLine();

    [GeneratedRegex($"^(?<name>{MetricName})(?:\\{{(?:(?<label>{LabelPair})(?:,(?<label>{LabelPair}))*,?)?\\}})? (?<value>{Number})(?: -?\\d+)?$")]
    private static partial Regex SampleLine();

    [GeneratedRegex("^(?<name>[a-zA-Z_][a-zA-Z0-9_]*)=\"(?<value>.*)\"$", RegexOptions.Singleline)]
    private static partial Regex Label();
}
