namespace Forwarder.Configuration;

/// <summary>
/// A hint for YAML's "found invalid mapping" (a ':' where a plain value is being read), which has two
/// usual causes that need different fixes: an unquoted value ending in ':' (an IPv6 address such as
/// <c>fc00::</c>), or a key indented deeper than the line above, which YAML reads as more of that line's value.
/// </summary>
internal static class YamlErrorHint
{
    /// <summary>The hint to append to the parser's message (starting with "; "), or "" when neither cause is recognised.</summary>
    public static string For(YamlDotNet.Core.YamlException error, string text)
    {
        if (!error.Message.Contains("found invalid mapping", StringComparison.Ordinal))
            return "";
        string[] lines = text.Split('\n');
        int lineIndex = (int)error.Start.Line - 1;
        int colonIndex = (int)error.Start.Column - 1;
        if (lineIndex < 0 || lineIndex >= lines.Length || colonIndex < 0 || colonIndex >= lines[lineIndex].Length)
            return "";
        string line = lines[lineIndex].TrimEnd('\r');

        if (EndsLikeAnAddress(line, colonIndex))
            return "; a value ending in ':' (such as an IPv6 address ending in '::') must be quoted";
        if (PreviousContentLine(lines, lineIndex) is { } above && Indent(line) > Indent(above))
        {
            return $"; line {lineIndex + 1} is indented deeper than the line above, which already has a value: " +
                "line each key up with the other keys of its mapping (or quote a value that holds ': ')";
        }
        return "";
    }

    /// <summary>Whether the word ending at the offending ':' is made of hex digits, dots and at least two colons, like an IPv6 address.</summary>
    private static bool EndsLikeAnAddress(string line, int colonIndex)
    {
        int start = colonIndex;
        while (start > 0 && !char.IsWhiteSpace(line[start - 1]))
            start--;
        ReadOnlySpan<char> word = line.AsSpan(start, colonIndex - start + 1);
        return word.Count(':') >= 2 && !word.ContainsAnyExcept("0123456789abcdefABCDEF:.");
    }

    private static string? PreviousContentLine(string[] lines, int lineIndex)
    {
        for (int i = lineIndex - 1; i >= 0; i--)
        {
            string trimmed = lines[i].Trim();
            if (trimmed.Length > 0 && !trimmed.StartsWith('#'))
                return lines[i];
        }
        return null;
    }

    private static int Indent(string line) => line.Length - line.TrimStart(' ').Length;
}
