using System.Security.Cryptography;
using System.Text;
using Forwarder.Interop;

namespace Forwarder.Api;

/// <summary>
/// The control API's bearer token, read from a file (<c>--api-token-file</c>) by the server and by the CLI.
/// With one, every request must carry <c>Authorization: Bearer TOKEN</c>. The token is compared through
/// SHA-256 digests in constant time, so neither its characters nor its length can be found by timing answers.
/// </summary>
public sealed class ApiToken
{
    /// <summary>Longer than any token an operator generates (<c>openssl rand -hex 32</c> is 64 characters).</summary>
    public const int MaxLength = 4096;

    private const string Scheme = "Bearer ";

    private readonly string _value;
    private readonly byte[] _digest;

    private ApiToken(string value)
    {
        _value = value;
        _digest = SHA256.HashData(Encoding.UTF8.GetBytes(value));
    }

    /// <summary>What the CLI sends: <c>Bearer TOKEN</c>.</summary>
    public string AuthorizationValue => Scheme + _value;

    /// <summary>
    /// Reads the token: the file must be a regular file that other users cannot read or write, holding one
    /// line of visible ASCII characters (a trailing newline is dropped).
    /// </summary>
    /// <exception cref="FormatException">The file is refused; the message names it and says what to fix.</exception>
    public static ApiToken ReadFile(string path)
    {
        string Refused(string why) => $"--api-token-file {path}: {why}";
        FileKind kind;
        try
        {
            kind = FileKinds.Of(path, followLink: true); // a link to the token (as secret stores mount them) is fine
        }
        catch (IOException e)
        {
            throw new FormatException(Refused(e.Message));
        }
        if (kind == FileKind.Missing)
            throw new FormatException(Refused("no such file; write the token into it (e.g. openssl rand -hex 32 > FILE; chmod 600 FILE)"));
        if (kind != FileKind.Regular)
            throw new FormatException(Refused($"is {FileKinds.Describe(kind)}, not a regular file; give a file holding the token"));
        UnixFileMode mode = File.GetUnixFileMode(path);
        if ((mode & (UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0)
            throw new FormatException(Refused($"other users may {((mode & UnixFileMode.OtherRead) != 0 ? "read" : "write")} it (mode {Octal(mode)}); chmod o-rw {path} (e.g. mode 0600, or 0640 for a group)"));
        string text;
        try
        {
            using var reader = new StreamReader(path, Encoding.UTF8);
            char[] buffer = new char[MaxLength + 3];
            int length = reader.ReadBlock(buffer, 0, buffer.Length);
            text = new string(buffer, 0, length);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FormatException(Refused($"cannot be read ({e.Message})"));
        }
        string token = text.EndsWith("\r\n", StringComparison.Ordinal) ? text[..^2] : text.EndsWith('\n') ? text[..^1] : text;
        if (token.Length == 0)
            throw new FormatException(Refused("is empty; write the token into it (e.g. openssl rand -hex 32 > FILE)"));
        if (token.Length > MaxLength)
            throw new FormatException(Refused($"holds more than {MaxLength} characters; a token is one line, e.g. openssl rand -hex 32"));
        if (token.Any(c => c is < '!' or > '~'))
            throw new FormatException(Refused("the token must be one line of visible ASCII characters (no spaces, no second line), e.g. openssl rand -hex 32"));
        return new ApiToken(token);
    }

    /// <summary>A token made in code (tests, tools).</summary>
    public static ApiToken Of(string value) => new(value);

    /// <summary>True when <paramref name="authorization"/> is <c>Bearer</c> (any case) followed by this token.</summary>
    public bool Authorizes(string? authorization)
    {
        if (authorization is null || !authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
            return false;
        byte[] presented = SHA256.HashData(Encoding.UTF8.GetBytes(authorization[Scheme.Length..]));
        return CryptographicOperations.FixedTimeEquals(presented, _digest);
    }

    /// <summary>Never the secret itself.</summary>
    public override string ToString() => "(api token)";

    private static string Octal(UnixFileMode mode) => "0" + Convert.ToString((int)mode, 8);
}
