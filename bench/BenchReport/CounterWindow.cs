using System.Globalization;

namespace BenchReport;

/// <summary>
/// One measuring window: the receiving end's packet counter read at its start and end, and the time between.
/// </summary>
public sealed record CounterWindow(int Index, double Seconds, ulong Start, ulong End)
{
    public ulong Packets => End - Start;

    /// <summary>Packets per second over the window.</summary>
    public double Rate => Packets / Seconds;

    /// <summary>
    /// Parses the sink's line <c>RUN 2 seconds=10.000123 start=1234 end=38001234 mpps=3.800</c>. The rate is
    /// recomputed from the counters; the printed mpps is ignored.
    /// </summary>
    public static CounterWindow Parse(string line)
    {
        string[] words = line.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length < 2 || words[0] != "RUN")
            throw new FormatException($"not a RUN line: '{line}'");
        if (!int.TryParse(words[1], NumberStyles.None, CultureInfo.InvariantCulture, out int index) || index < 1)
            throw new FormatException($"bad window number in '{line}'");
        var fields = new Dictionary<string, string>();
        foreach (string word in words.Skip(2))
        {
            int eq = word.IndexOf('=');
            if (eq > 0)
                fields[word[..eq]] = word[(eq + 1)..];
        }
        double seconds = Field(fields, "seconds", line, s => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture));
        ulong start = Field(fields, "start", line, s => ulong.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture));
        ulong end = Field(fields, "end", line, s => ulong.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture));
        if (!(seconds > 0) || !double.IsFinite(seconds))
            throw new FormatException($"window length must be positive in '{line}'");
        if (end < start)
            throw new FormatException($"counter went backwards ({start} -> {end}) in '{line}'");
        return new CounterWindow(index, seconds, start, end);
    }

    private static T Field<T>(Dictionary<string, string> fields, string name, string line, Func<string, T> parse)
    {
        if (!fields.TryGetValue(name, out string? text))
            throw new FormatException($"no {name}= in '{line}'");
        try
        {
            return parse(text);
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new FormatException($"bad {name}= value '{text}' in '{line}'", e);
        }
    }
}
