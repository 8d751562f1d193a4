using System.Globalization;

namespace Forwarder.IntegrationTests.Decap;

/// <summary>`forwarder decap status` output: one `name value` per line.</summary>
public sealed class DecapStatusReport
{
    private readonly Dictionary<string, string> _values;

    private DecapStatusReport(Dictionary<string, string> values, string text)
    {
        _values = values;
        Text = text;
    }

    public string Text { get; }

    public static DecapStatusReport Parse(string stdout)
    {
        var values = new Dictionary<string, string>();
        foreach (string line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int space = line.IndexOf(' ');
            if (space > 0)
                values[line[..space]] = line[(space + 1)..];
        }
        return new DecapStatusReport(values, stdout);
    }

    public string Value(string name) =>
        _values.TryGetValue(name, out string? value) ? value : throw new InvalidOperationException($"no '{name}' in status:\n{Text}");

    public long Counter(string name) => long.Parse(Value(name), CultureInfo.InvariantCulture);

    public override string ToString() => Text;
}
