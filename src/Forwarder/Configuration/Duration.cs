using System.Globalization;
using System.Text.RegularExpressions;

namespace Forwarder.Configuration;

/// <summary>
/// Durations as the configuration writes them: a whole number and a unit, <c>500ms</c>, <c>2s</c>, <c>5m</c>,
/// <c>1h</c>. <see cref="Format"/> writes the largest unit that keeps the value whole, so reading it back gives the same span.
/// </summary>
public static partial class Duration
{
    /// <summary>What the operator is told to give.</summary>
    public const string Syntax = "a whole number with a unit ms, s, m or h, e.g. 500ms or 2s";

    /// <summary>The span <paramref name="text"/> names; null when it is not a duration.</summary>
    public static TimeSpan? Parse(string text)
    {
        Match match = Pattern().Match(text);
        if (!match.Success || !long.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out long value))
            return null;
        long unitMs = match.Groups[2].Value switch { "ms" => 1, "s" => 1000, "m" => 60_000, _ => 3_600_000 };
        if (value > TimeSpan.MaxValue.TotalMilliseconds / unitMs / 2)
            return null;
        return TimeSpan.FromMilliseconds(value * unitMs);
    }

    /// <summary>Written back in the largest whole unit; sub-millisecond parts are dropped.</summary>
    public static string Format(TimeSpan span)
    {
        long ms = (long)span.TotalMilliseconds;
        if (ms != 0 && ms % 3_600_000 == 0)
            return $"{ms / 3_600_000}h";
        if (ms != 0 && ms % 60_000 == 0)
            return $"{ms / 60_000}m";
        if (ms != 0 && ms % 1000 == 0)
            return $"{ms / 1000}s";
        return $"{ms}ms";
    }

    [GeneratedRegex("^([0-9]{1,12})(ms|s|m|h)$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
