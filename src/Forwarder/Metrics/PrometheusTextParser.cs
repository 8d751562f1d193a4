using System.Globalization;
using System.Text;

namespace Forwarder.Metrics;

/// <summary>
/// Reads the samples of a Prometheus text exposition (what <see cref="PrometheusTextWriter"/> writes), for
/// <c>forwarder stats</c>. Comment and blank lines are skipped; a malformed sample line is a <see cref="FormatException"/>.
/// </summary>
public static class PrometheusTextParser
{
    public static IReadOnlyList<MetricSample> Parse(string text)
    {
        var samples = new List<MetricSample>();
        int lineNumber = 0;
        foreach (string line in text.Split('\n'))
        {
            lineNumber++;
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            samples.Add(ParseLine(line, lineNumber));
        }
        return samples;
    }

    private static MetricSample ParseLine(string line, int lineNumber)
    {
        int i = 0;
        while (i < line.Length && line[i] is not ('{' or ' '))
            i++;
        string name = line[..i];
        if (!PrometheusTextWriter.IsMetricName(name))
            throw Malformed(lineNumber, $"'{name}' is not a metric name");
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (i < line.Length && line[i] != '}')
            {
                int eq = line.IndexOf('=', i);
                if (eq < 0 || eq + 1 >= line.Length || line[eq + 1] != '"')
                    throw Malformed(lineNumber, "expected label=\"value\"");
                string labelName = line[i..eq];
                i = eq + 2;
                var value = new StringBuilder();
                while (i < line.Length && line[i] != '"')
                {
                    if (line[i] == '\\' && i + 1 < line.Length)
                    {
                        i++;
                        value.Append(line[i] == 'n' ? '\n' : line[i]);
                    }
                    else
                    {
                        value.Append(line[i]);
                    }
                    i++;
                }
                if (i >= line.Length)
                    throw Malformed(lineNumber, "unterminated label value");
                i++;
                labels[labelName] = value.ToString();
                if (i < line.Length && line[i] == ',')
                    i++;
            }
            if (i >= line.Length)
                throw Malformed(lineNumber, "missing '}'");
            i++;
        }
        string[] rest = line[i..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (rest.Length is < 1 or > 2)
            throw Malformed(lineNumber, "expected a value (and at most a timestamp) after the series");
        double number = rest[0] switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            "NaN" => double.NaN,
            var v when double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed) => parsed,
            var v => throw Malformed(lineNumber, $"'{v}' is not a number"),
        };
        return new MetricSample(name, labels, number);
    }

    private static FormatException Malformed(int line, string what) => new($"metrics line {line}: {what}");
}
