using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Forwarder.Health;

/// <summary>
/// A target's health as an upgrade hands it to the successor: up or down, and its results in a row, so that a backend
/// down before the upgrade stays down after it (a fresh start would take every backend as healthy) and one counting
/// towards <c>rise</c> or <c>fall</c> goes on counting.
/// </summary>
public sealed record HealthMark(bool Healthy, int ConsecutiveSuccesses, int ConsecutiveFailures)
{
    /// <summary>Above any <c>rise</c> or <c>fall</c> a configuration accepts; a larger count is no count the forwarder wrote.</summary>
    public const int MaxInARow = 1_000_000;

    /// <summary>At most this many lines are read: far more targets than a configuration holds.</summary>
    public const int MaxLines = 100_000;

    /// <summary>One line per target probed at least once: <c>up|down SUCCESSES FAILURES TARGET</c> (TARGET as <see cref="HealthTarget.ToString"/>).</summary>
    public static string Format(IReadOnlyDictionary<HealthTarget, BackendHealthStatus> snapshot) =>
        string.Join('\n', snapshot.Where(pair => pair.Value.Probes > 0).Select(pair =>
            string.Create(CultureInfo.InvariantCulture, $"{(pair.Value.Healthy ? "up" : "down")} {pair.Value.ConsecutiveSuccesses} {pair.Value.ConsecutiveFailures} {pair.Key}")));

    /// <summary>
    /// The marks in <paramref name="text"/>, by target. A line that is not one <see cref="Format"/> writes, or names a target a
    /// second time, is logged and left out (the target then starts as a new one does); nothing here throws for the text's sake.
    /// </summary>
    public static IReadOnlyDictionary<string, HealthMark> Parse(string text, ILogger log)
    {
        var marks = new Dictionary<string, HealthMark>(StringComparer.Ordinal);
        var repeated = new HashSet<string>(StringComparer.Ordinal);
        string[] lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length > MaxLines)
            log.HealthMarkIgnored(lines.Length - MaxLines, $"more than {MaxLines} lines");
        foreach (string line in lines.Take(MaxLines))
        {
            string[] words = line.Split(' ', 4);
            if (words.Length != 4 || words[0] is not ("up" or "down") || Count(words[1]) is not { } successes || Count(words[2]) is not { } failures
                || (successes > 0 && failures > 0) || words[3].Length == 0)
            {
                log.HealthMarkIgnored(1, $"'{Shorten(line)}' is no health mark");
                continue;
            }
            if (!marks.TryAdd(words[3], new HealthMark(words[0] == "up", successes, failures)))
                repeated.Add(words[3]);
        }
        foreach (string target in repeated) // which one holds is not known: neither
        {
            marks.Remove(target);
            log.HealthMarkIgnored(1, $"{Shorten(target)} is marked more than once");
        }
        return marks;
    }

    private static int? Count(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value <= MaxInARow ? value : null;

    private static string Shorten(string text)
    {
        string printable = new(text.Select(c => char.IsControl(c) ? '?' : c).Take(80).ToArray());
        return text.Length <= 80 ? printable : printable + "...";
    }
}
