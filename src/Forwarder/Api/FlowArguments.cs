using System.Globalization;
using System.Net;
using Forwarder.Configuration;
using Forwarder.ControlPlane;

namespace Forwarder.Api;

/// <summary>
/// The query of <c>GET /flow?src=ADDR[:PORT]&amp;dst=VIP[:PORT]&amp;proto=tcp|udp</c> as received: an address with an
/// optional port (an IPv6 address with a port in brackets: <c>[2001:db8::1]:40000</c>), and the protocol (tcp when
/// not given); with <c>&amp;cid=HEX</c> (null: not given) a QUIC destination connection id of 8 to 20 bytes, as hex
/// digits in either case, a leading <c>0x</c> allowed, asked only with udp. Read, and refused with every mistake named, by <see cref="Query"/>.
/// </summary>
public sealed record FlowArguments(string? Source, string? Destination, string? Protocol, string? ConnectionId = null)
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
        else if (ConnectionId is not null)
            errors.Add("cid: a QUIC connection id is asked only of a quic VIP, which is udp: give proto=udp");
        byte[]? cid = ConnectionId is null ? null : ConnectionIdOf(ConnectionId, errors);
        if (errors.Count > 0)
            throw new InvalidRequestException(errors);
        return new FlowQuery(client!, clientPort, vip!, vipPort, protocol, cid);
    }

    private const string CidRule = "give the destination connection id as 16 to 40 hex digits (8 to 20 bytes), e.g. 4100030405060700";

    /// <summary>The bytes of <paramref name="text"/>: hex digits in either case, a leading <c>0x</c> allowed, 8 to 20 bytes.</summary>
    private static byte[]? ConnectionIdOf(string text, List<string> errors)
    {
        string hex = text.Trim();
        if (hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            hex = hex[2..];
        if (hex.Length == 0)
        {
            errors.Add($"cid: {CidRule}");
            return null;
        }
        if (!hex.All(char.IsAsciiHexDigit))
        {
            string shown = hex.Length > 48 ? hex[..48] + "..." : hex;
            errors.Add($"cid '{ControlCharacters.Escape(shown)}' is not hex: {CidRule}");
            return null;
        }
        if (hex.Length % 2 != 0)
        {
            errors.Add($"cid has an odd number of hex digits ({hex.Length}): two digits a byte; {CidRule}");
            return null;
        }
        int bytes = hex.Length / 2;
        if (bytes is < MinConnectionIdBytes or > MaxConnectionIdBytes)
        {
            errors.Add($"cid is {bytes} bytes ({hex.Length} hex digits): a connection id to route by is 8 to 20 bytes; {CidRule}");
            return null;
        }
        return Convert.FromHexString(hex);
    }

    private const int MinConnectionIdBytes = Forwarder.Packets.QuicHeader.MinConnectionIdLength;
    private const int MaxConnectionIdBytes = Forwarder.DataPlane.FlowDecision.MaxConnectionIdLength;

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
