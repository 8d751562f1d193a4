namespace Forwarder.Configuration;

/// <summary>
/// One problem found in a configuration file: the field's path (e.g. <c>vips[1].backends[0].weight</c>),
/// where it is (1-based; 0 = no position, e.g. the file could not be read) and what is wrong.
/// </summary>
public sealed record ConfigDiagnostic(string Path, int Line, int Column, string Message)
{
    /// <summary>E.g. <c>vips[0].backends[2].address (line 14, col 18): '10.0.0.300' is not an IPv4 or IPv6 address</c>.</summary>
    public override string ToString()
    {
        string position = Line > 0 ? $"line {Line}, col {Column}" : "";
        return (Path.Length, position.Length) switch
        {
            (0, 0) => Message,
            (0, _) => $"{position}: {Message}",
            (_, 0) => $"{Path}: {Message}",
            _ => $"{Path} ({position}): {Message}",
        };
    }
}
