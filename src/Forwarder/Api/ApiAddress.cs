using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Forwarder.Api;

/// <summary>
/// Where the control API listens and where the CLI finds it: <c>ADDRESS:PORT</c> (IPv6 as <c>[ADDRESS]:PORT</c>)
/// or <c>unix:PATH</c>. <c>none</c> disables the API. The default is loopback only.
/// </summary>
public sealed record ApiAddress
{
    public const int DefaultPort = 9180;
    public const string DefaultText = "127.0.0.1:9180";
    public const string Disabled = "none";

    private ApiAddress(IPEndPoint? endPoint, string? socketPath)
    {
        EndPoint = endPoint;
        SocketPath = socketPath;
    }

    public static ApiAddress Default { get; } = new(new IPEndPoint(IPAddress.Loopback, DefaultPort), null);

    /// <summary>The TCP address, or null for a Unix socket.</summary>
    public IPEndPoint? EndPoint { get; }

    /// <summary>The Unix socket's path, or null for TCP.</summary>
    public string? SocketPath { get; }

    /// <summary>A Unix socket, or TCP on a loopback address: reachable from this host only. Anything else needs a token.</summary>
    public bool IsLocal => SocketPath is not null || IPAddress.IsLoopback(EndPoint!.Address);

    /// <summary>Why <paramref name="address"/> is refused without a token.</summary>
    public static string NeedsTokenMessage(ApiAddress address) =>
        $"--api {address}: not a loopback address, so other hosts could reach the API: give --api-token-file FILE too " +
        "(every request then needs the token), or listen on 127.0.0.1, [::1] or unix:PATH";

    public static ApiAddress Tcp(IPEndPoint endPoint) => new(endPoint, null);

    public static ApiAddress Unix(string path) => new(null, Path.GetFullPath(path));

    /// <summary>Parses <c>ADDRESS:PORT</c>, <c>[ADDRESS]:PORT</c>, <c>localhost:PORT</c> or <c>unix:PATH</c>; null for <c>none</c>.</summary>
    /// <exception cref="FormatException">The text is none of these; the message says what to give.</exception>
    public static ApiAddress? Parse(string text)
    {
        string value = text.Trim();
        if (value.Equals(Disabled, StringComparison.OrdinalIgnoreCase))
            return null;
        if (value.StartsWith("unix:", StringComparison.OrdinalIgnoreCase))
        {
            string path = value["unix:".Length..];
            if (path.Length == 0)
                throw Invalid(text, "unix: needs the socket's path, e.g. unix:/run/forwarder/forwarder.sock");
            return Unix(path);
        }
        if (value.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            value = value["http://".Length..].TrimEnd('/');

        int colon = value.LastIndexOf(':');
        if (colon <= 0 || value.EndsWith(']') || (value.Count(c => c == ':') > 1 && !value.StartsWith('[')))
            throw Invalid(text, "give ADDRESS:PORT ([ADDRESS]:PORT for IPv6)");
        string host = value[..colon].Trim('[', ']');
        string portText = value[(colon + 1)..];
        if (!ushort.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out ushort port))
            throw Invalid(text, $"'{portText}' is not a port number (0 to 65535)");
        IPAddress? address = host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback : null;
        if (address is null && !IPAddress.TryParse(host, out address))
            throw Invalid(text, $"'{host}' is not an IPv4 or IPv6 address");
        return Tcp(new IPEndPoint(address, port));
    }

    /// <summary>As an operator writes it: <c>127.0.0.1:9180</c>, <c>[::1]:9180</c>, <c>unix:/run/forwarder/forwarder.sock</c>.</summary>
    public override string ToString() => SocketPath is { } path
        ? $"unix:{path}"
        : EndPoint!.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{EndPoint.Address}]:{EndPoint.Port}" : $"{EndPoint.Address}:{EndPoint.Port}";

    private static FormatException Invalid(string text, string what) =>
        new($"--api '{text}': {what}; or unix:PATH, or none to run without the API (default {DefaultText})");
}
