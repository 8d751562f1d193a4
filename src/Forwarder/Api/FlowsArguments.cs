using System.Globalization;
using System.Net;
using Forwarder.Configuration;
using Forwarder.ControlPlane;
using Forwarder.Steering;

namespace Forwarder.Api;

/// <summary>
/// The queries of <c>GET /flows?vip=ADDR:PORT/PROTO&amp;limit=N</c> and <c>POST /flows/purge?backend=ADDR[:PORT]</c>
/// as received, read (and refused with every mistake named) by <see cref="Vip"/>, <see cref="Limit"/> and <see cref="Backend"/>.
/// </summary>
public sealed record FlowsArguments(string? VipText, string? LimitText, string? BackendText)
{
    /// <summary>The VIP named: <c>ADDR[:PORT][/tcp|/udp|/any]</c>, IPv6 as <c>[ADDR]:PORT</c>; no port = every port, no protocol = both.</summary>
    /// <exception cref="InvalidRequestException">Missing or malformed.</exception>
    public VipIdentity Vip()
    {
        if (string.IsNullOrWhiteSpace(VipText))
            throw new InvalidRequestException(["vip: give the VIP as ADDRESS:PORT/PROTOCOL, e.g. vip=10.100.0.1:80/tcp (IPv6 as [ADDRESS]:PORT/PROTOCOL)"]);
        VipSpec spec;
        try
        {
            spec = VipSpec.Parse(VipText);
        }
        catch (FormatException e)
        {
            throw new InvalidRequestException([ControlCharacters.Escape(e.Message)]);
        }
        VipProtocol protocol = spec.Protocols.Count == 1
            ? spec.Protocols[0] == System.Net.Sockets.ProtocolType.Tcp ? VipProtocol.Tcp : VipProtocol.Udp
            : VipProtocol.Any;
        var errors = new List<string>();
        IPAddress? address = VipRoute.ParseAddress(spec.Address.ToString(), "VIP address", errors);
        if (errors.Count > 0)
            throw new InvalidRequestException(errors);
        return new VipIdentity(address!, spec.Port, protocol);
    }

    /// <summary>The most entries to list: <see cref="ConnectionListing.DefaultLimit"/> when not given, 1 to <see cref="ConnectionListing.MaxLimit"/>.</summary>
    /// <exception cref="InvalidRequestException">Not a number in that range.</exception>
    public int Limit()
    {
        if (string.IsNullOrWhiteSpace(LimitText))
            return ConnectionListing.DefaultLimit;
        if (!int.TryParse(LimitText, NumberStyles.None, CultureInfo.InvariantCulture, out int limit) || limit < 1 || limit > ConnectionListing.MaxLimit)
            throw new InvalidRequestException([$"limit '{ControlCharacters.Escape(LimitText)}' is not a number from 1 to {ConnectionListing.MaxLimit} (default {ConnectionListing.DefaultLimit})"]);
        return limit;
    }

    /// <summary>The backend named: <c>ADDR</c> (every port) or <c>ADDR:PORT</c> (a nat backend's port), IPv6 as <c>[ADDR]:PORT</c>.</summary>
    /// <exception cref="InvalidRequestException">Missing or malformed.</exception>
    public (IPAddress Address, ushort? Port) Backend()
    {
        if (string.IsNullOrWhiteSpace(BackendText))
            throw new InvalidRequestException(["backend: give the backend as ADDRESS or ADDRESS:PORT (a nat backend's port), e.g. backend=10.0.0.2"]);
        (string addressText, string? portText) = BackendId.Split(BackendText.Trim());
        var errors = new List<string>();
        IPAddress? address = VipRoute.ParseAddress(addressText, "backend address", errors);
        ushort? port = null;
        if (portText is not null)
        {
            if (ushort.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out ushort number) && number > 0)
                port = number;
            else
                errors.Add($"backend port '{ControlCharacters.Escape(portText)}' is not a number from 1 to 65535");
        }
        if (errors.Count > 0)
            throw new InvalidRequestException(errors);
        return (address!, port);
    }
}
