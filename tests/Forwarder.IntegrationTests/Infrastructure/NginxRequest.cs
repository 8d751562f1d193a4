using System.Net;

namespace Forwarder.IntegrationTests.Infrastructure;

/// <summary>One request as the server saw it: the client's address and port, and the local address and port it came in on.</summary>
public sealed record NginxRequest(IPEndPoint Client, IPEndPoint Server)
{
    /// <summary>Parses an access log line written with <see cref="NginxServer"/>'s format: "CLIENT:PORT SERVER:PORT".</summary>
    public static NginxRequest Parse(string line)
    {
        string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 2 || !IPEndPoint.TryParse(fields[0], out IPEndPoint? client) || !IPEndPoint.TryParse(fields[1], out IPEndPoint? server))
            throw new FormatException($"not an access log line of the tests' format: '{line}'");
        return new NginxRequest(client, server);
    }

    public override string ToString() => $"{Client} -> {Server}";
}
