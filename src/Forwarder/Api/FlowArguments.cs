using System.Globalization;
using System.Net;
using Forwarder.Configuration;
using Forwarder.ControlPlane;

namespace Forwarder.Api;

/// <summary>
/// The query of <c>GET /flow?src=ADDR[:PORT]&amp;dst=VIP[:PORT]&amp;proto=tcp|udp</c> as received: an address with an
/// optional port (an IPv6 address with a port in brackets: <c>[2001:db8::1]:40000</c>), and the protocol (tcp when
/// not given). Read, and refused with every mistake named, by <see cref="Query"/>.
/// </summary>
public sealed record FlowArguments(string? Source, string? Destination, string? Protocol)
{
    /// <exception cref="InvalidRequestException">A part is missing or malformed.</exception>
    public FlowQuery Query()
    {
        var errors = new List<string>();
        (IPAddress? client, ushort? clientPort) = Endpoint(Source, "src", "client", errors);
        (IPAddress? vip, ushort? vipPort) = Endpoint(Destination, "dst", "VIP", errors);
        VipProtocol protocol = VipProtocol.Tcp;
        string proto = (Protocol ?? "").Trim();
        if (proto.Equals("udp", StringComparison.OrdinalIgnoreCase))
            protocol = VipProtocol.Udp;
        else if (proto.Length > 0 && !proto.Equals("tcp", StringComparison.OrdinalIgnoreCase))
            errors.Add($"protocol '{ControlCharacters.Escape(proto)}' is not tcp or udp");
        if (errors.Count > 0)
            throw new InvalidRequestException(errors);
        return new FlowQuery(client!, clientPort, vip!, vipPort, protocol);
    }

    private static (IPAddress?, ushort?) Endpoint(string? text, string parameter, string what, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add($"{parameter}: give the {what} address, ADDRESS[:PORT] (an IPv6 address with a port as [ADDRESS]:PORT)");
            return (null, null);
        }
        (string address, string? port) = BackendId.Split(text.Trim());
        IPAddress? ip = VipRoute.ParseAddress(address, $"{what} address", errors);
        if (port is null)
            return (ip, null);
        if (!ushort.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out ushort number))
        {
            errors.Add($"{what} port '{ControlCharacters.Escape(port)}' is not a number from 0 to 65535");
            return (ip, null);
        }
        return (ip, number);
    }
}
