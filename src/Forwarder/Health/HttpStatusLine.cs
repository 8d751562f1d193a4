using System.Text;

namespace Forwarder.Health;

/// <summary>Reads the status code out of an HTTP/1.x response's first line, e.g. <c>HTTP/1.1 200 OK</c>.</summary>
public static class HttpStatusLine
{
    /// <summary>The end of the status line in <paramref name="received"/>, or -1 when it has not arrived yet.</summary>
    public static int EndOf(ReadOnlySpan<byte> received) => received.IndexOf((byte)'\n');

    /// <summary>
    /// Parses <c>HTTP/1.x SSS[ reason]</c> (a trailing CR is allowed); <c>false</c> for anything else,
    /// such as a reply of another protocol.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> line, out int status)
    {
        status = 0;
        if (line.EndsWith("\r"u8))
            line = line[..^1];
        // "HTTP/1.x " is 9 bytes, the status 3 more, then the end or a space before the reason.
        if (line.Length < 12 || !line.StartsWith("HTTP/1."u8) || !char.IsAsciiDigit((char)line[7]) || line[8] != ' ')
            return false;
        ReadOnlySpan<byte> code = line.Slice(9, 3);
        if (!char.IsAsciiDigit((char)code[0]) || !char.IsAsciiDigit((char)code[1]) || !char.IsAsciiDigit((char)code[2]))
            return false;
        if (line.Length > 12 && line[12] != ' ')
            return false;
        status = (code[0] - '0') * 100 + (code[1] - '0') * 10 + (code[2] - '0');
        return status >= 100;
    }

    /// <summary>The start of <paramref name="received"/> as printable text, for a failure's reason.</summary>
    public static string Printable(ReadOnlySpan<byte> received, int maxLength = 40)
    {
        var text = new StringBuilder();
        foreach (byte b in received[..Math.Min(received.Length, maxLength)])
            text.Append(b is >= 0x20 and < 0x7F ? (char)b : '.');
        if (received.Length > maxLength)
            text.Append("...");
        return text.ToString();
    }
}
