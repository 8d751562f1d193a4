using System.Globalization;

namespace BenchReport;

/// <summary>One BenchmarkDotNet row: the benchmark class, its method and parameters, and the mean time.</summary>
public sealed record MicroResult(string Benchmark, string Case, string Mean)
{
    /// <summary>The mean in nanoseconds, when its unit is known.</summary>
    public double? MeanNanoseconds => MicroResults.ToNanoseconds(Mean);
}

/// <summary>Reads BenchmarkDotNet's <c>*-report-github.md</c> tables (a results directory of <c>./run.sh bench micro</c>).</summary>
public static class MicroResults
{
    public static List<MicroResult> ReadDirectory(string directory)
    {
        var results = new List<MicroResult>();
        if (!Directory.Exists(directory))
            return results;
        foreach (string file in Directory.GetFiles(directory, "*-report-github.md").Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileName(file)[..^"-report-github.md".Length];
            results.AddRange(ParseTable(name[(name.LastIndexOf('.') + 1)..], File.ReadLines(file)));
        }
        return results;
    }

    /// <summary>Parses the markdown table: the columns before "Mean" name the case, "Mean" is the figure.</summary>
    public static IEnumerable<MicroResult> ParseTable(string benchmark, IEnumerable<string> lines)
    {
        string[]? header = null;
        int mean = -1;
        foreach (string line in lines)
        {
            if (!line.StartsWith('|'))
                continue;
            string[] cells = [.. line.Trim().Trim('|').Split('|').Select(c => c.Replace("**", "").Trim())];
            if (header is null)
            {
                header = cells;
                mean = Array.IndexOf(header, "Mean");
                if (mean < 0)
                    yield break;
                continue;
            }
            if (cells.All(c => c.Length == 0 || c.All(ch => ch is '-' or ':')))
                continue; // separator or spacer row
            if (cells.Length <= mean)
                continue;
            string label = string.Join(' ', cells.Take(mean).Where(c => c.Length > 0));
            yield return new MicroResult(benchmark, label, cells[mean]);
        }
    }

    public static double? ToNanoseconds(string text)
    {
        string[] parts = text.Replace(",", "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            return null;
        double? scale = parts[1] switch
        {
            "ns" => 1,
            "μs" or "us" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            _ => null,
        };
        return scale is { } s ? value * s : null;
    }
}
