using System.Globalization;
using System.Net;
using Forwarder.Configuration;
using Forwarder.ControlPlane;

namespace Forwarder.Api;

/// <summary>
/// The VIP a URL names: <c>/vips/{address}/{port}/{protocol}</c>, e.g. <c>/vips/10.100.0.1/80/tcp</c>,
/// <c>/vips/fc00::1/443/tcp</c>; port <c>0</c> (or <c>*</c>) is the every-port VIP, protocol <c>any</c> both.
/// </summary>
public static class VipRoute
{
    /// <exception cref="InvalidRequestException">A part is not an address, a port or a protocol.</exception>
    public static VipIdentity Parse(string address, string port, string protocol)
    {
        var errors = new List<string>();
        IPAddress? ip = ParseAddress(address, "VIP address", errors);
        ushort number = 0;
        if (port != "*" && !ushort.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out number))
            errors.Add($"VIP port '{port}' is not a number from 0 to 65535 (0 or * = every port)");
        VipProtocol? proto = ConfigNames.Protocols.Where(p => p.Name.Equals(protocol, StringComparison.OrdinalIgnoreCase)).Select(p => (VipProtocol?)p.Value).FirstOrDefault();
        if (proto is null)
            errors.Add($"VIP protocol '{protocol}' is not one of: {ConfigNames.List(ConfigNames.Protocols)}");
        if (errors.Count > 0)
            throw new InvalidRequestException(errors);
        return new VipIdentity(ip!, number, proto!.Value);
    }

    /// <summary>
    /// An address from a URL, held to the configuration file's rules (dotted quads without shorthands, IPv6
    /// without a zone; brackets allowed), an IPv4-mapped IPv6 address taken as IPv4.
    /// </summary>
    public static IPAddress? ParseAddress(string text, string what, List<string> errors)
    {
        var diagnostics = new ConfigDiagnostics();
        IPAddress? address = ConfigValues.Address(new ConfigScalar(text.Trim('[', ']'), isPlain: false, 0, 0), what, diagnostics);
        errors.AddRange(diagnostics.Errors.Select(e => e.ToString()));
        return address;
    }

    /// <summary>The URL of a VIP: <c>/vips/10.100.0.1/80/tcp</c>.</summary>
    public static string PathOf(VipIdentity vip) =>
        $"/vips/{vip.Address}/{vip.Port}/{ConfigNames.Of(ConfigNames.Protocols, vip.Protocol)}";
}
