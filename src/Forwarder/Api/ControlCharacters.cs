using System.Globalization;
using System.Text;

namespace Forwarder.Api;

/// <summary>
/// Control characters (NUL, ESC, newlines...) in what a request sends: refused in every string of a request,
/// and escaped (<c>\u0000</c>) wherever request text is written to the log, so that a request can neither
/// forge log lines nor hide in them.
/// </summary>
internal static class ControlCharacters
{
    /// <summary>The first control character of <paramref name="text"/>, or null.</summary>
    public static char? First(string text)
    {
        foreach (char c in text)
        {
            if (char.IsControl(c))
                return c;
        }
        return null;
    }

    /// <summary>The message refusing a string of a request: <c>address: contains the control character U+0000; ...</c>.</summary>
    public static string Refusal(string where, char found) =>
        $"{Escape(where)}: contains the control character {Name(found)}; send text without control characters";

    /// <summary><paramref name="text"/> with each control character written as <c>\uXXXX</c>.</summary>
    public static string Escape(string text)
    {
        if (First(text) is null)
            return text;
        var escaped = new StringBuilder(text.Length + 16);
        foreach (char c in text)
        {
            if (char.IsControl(c))
                escaped.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            else
                escaped.Append(c);
        }
        return escaped.ToString();
    }

    private static string Name(char c) => $"U+{(int)c:X4}";
}
