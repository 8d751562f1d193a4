using System.Globalization;
using System.Net;
using Forwarder.Configuration;

namespace Forwarder.Api;

/// <summary>
/// A backend as the URL names it: <c>{backend}</c> is <c>ADDRESS</c> or <c>ADDRESS:PORT</c> (IPv6 with a port
/// as <c>[ADDRESS]:PORT</c>), and <c>?port=N</c> may give the port instead. The port tells apart a nat
/// backend listed with several ports on one address.
/// </summary>
internal sealed record BackendArguments(string Backend, string? Port)
{
    /// <summary>The name: the address, with the port if one was given (null: the address alone).</summary>
    /// <exception cref="InvalidRequestException">The address or port is malformed, or the path and the query give two ports.</exception>
    public BackendId Read()
    {
        var errors = new List<string>();
        (string addressText, string? pathPort) = BackendId.Split(Backend);
        IPAddress? address = VipRoute.ParseAddress(addressText, "backend address", errors);
        ushort? port = ReadPort(pathPort, errors);
        ushort? queryPort = ReadPort(string.IsNullOrEmpty(Port) ? null : Port, errors);
        if (port is { } a && queryPort is { } b && a != b)
            errors.Add($"the backend is named with port {a} in the path and port {b} in ?port=; give the port once");
        port ??= queryPort;
        if (errors.Count > 0)
            throw new InvalidRequestException(errors);
        return new BackendId(address!, port);
    }

    private static ushort? ReadPort(string? text, List<string> errors)
    {
        if (text is null)
            return null;
        if (ushort.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ushort number) && number > 0)
            return number;
        errors.Add($"backend port '{text}' is not a number from 1 to 65535");
        return null;
    }
}
