using System.Net;
using Microsoft.AspNetCore.Http;

namespace Forwarder.Api;

/// <summary>
/// Which Host a request over TCP may name, against DNS rebinding: a page of <c>evil.example</c>, whose name
/// the attacker then points at 127.0.0.1, reaches the API with <c>Host: evil.example:9180</c>. Accepted are
/// the address the connection arrived on (the listening address; for a wildcard one, the host address the
/// client dialled) and <c>localhost</c>, each with the listening port or no port. No DNS name but localhost
/// is accepted: a name is what rebinding needs, and an address or localhost in Host can only come from a
/// client that dialled exactly that.
/// </summary>
internal static class HostHeaderRule
{
    /// <summary>Null when the Host is accepted, else the refusal naming what to send.</summary>
    public static string? Refusal(HttpContext context)
    {
        ConnectionInfo connection = context.Connection;
        if (connection.LocalIpAddress is not { } local)
            return null; // not TCP
        if (local.IsIPv4MappedToIPv6)
            local = local.MapToIPv4();
        HostString host = context.Request.Host;
        if (host.HasValue && (host.Port is null || host.Port == connection.LocalPort))
        {
            string name = host.Host.Trim('[', ']');
            if (name.Equals("localhost", StringComparison.OrdinalIgnoreCase))
                return null;
            if (IPAddress.TryParse(name, out IPAddress? named) && Normal(named).Equals(local))
                return null;
        }
        string listening = local.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{local}]:{connection.LocalPort}" : $"{local}:{connection.LocalPort}";
        string sent = host.HasValue ? $"Host '{ControlCharacters.Escape(host.Value)}'" : "a request without Host";
        return $"{sent} is not this API's address: send Host {listening} or localhost:{connection.LocalPort} " +
            "(other names are refused, so that a web page cannot reach the API through DNS rebinding)";
    }

    private static IPAddress Normal(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
