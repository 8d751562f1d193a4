using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Forwarder.Configuration;

namespace Forwarder.Steering;

/// <summary>
/// A VIP as given on the command line: <c>ADDR[:PORT][/tcp|/udp]</c>, IPv6 as <c>[ADDR]:PORT</c> or a bare
/// address. No port (or port 0) means every port; no protocol means both TCP and UDP.
/// </summary>
public sealed record VipSpec(IPAddress Address, ushort Port, IReadOnlyList<ProtocolType> Protocols)
{
    public override string ToString() =>
        $"{(Address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{Address}]" : Address)}:{(Port == 0 ? "*" : Port)}/{string.Join('+', Protocols.Select(p => p.ToString().ToLowerInvariant()))}";

    /// <summary>The map keys that steer this VIP's traffic: one per protocol, plus the address-level entry.</summary>
    public IEnumerable<VipMapKey> MapKeys()
    {
        foreach (ProtocolType protocol in Protocols)
            yield return VipMapKey.Create(Address, Port, protocol);
        yield return VipMapKey.ForAddress(Address);
    }

    /// <summary>What a configured VIP steers to the forwarder: its address, port (0 = any) and protocols.</summary>
    public static VipSpec Of(VipConfig vip) => new(vip.Address, vip.Port, vip.Protocol switch
    {
        VipProtocol.Tcp => [ProtocolType.Tcp],
        VipProtocol.Udp => [ProtocolType.Udp],
        _ => [ProtocolType.Tcp, ProtocolType.Udp],
    });

    public static VipSpec Parse(string text)
    {
        string rest = text.Trim();
        ProtocolType[] protocols = [ProtocolType.Tcp, ProtocolType.Udp];
        int slash = rest.LastIndexOf('/');
        if (slash >= 0)
        {
            protocols = rest[(slash + 1)..].ToLowerInvariant() switch
            {
                "tcp" => [ProtocolType.Tcp],
                "udp" => [ProtocolType.Udp],
                "any" or "" => protocols,
                var p => throw new FormatException($"VIP '{text}': unknown protocol '{p}' (use tcp, udp or leave it out for both)"),
            };
            rest = rest[..slash];
        }

        string addressText = rest;
        string? portText = null;
        if (rest.StartsWith('['))
        {
            int close = rest.IndexOf(']');
            if (close < 0)
                throw new FormatException($"VIP '{text}': missing ']' after the IPv6 address");
            addressText = rest[1..close];
            if (close + 1 < rest.Length)
            {
                if (rest[close + 1] != ':')
                    throw new FormatException($"VIP '{text}': expected ':PORT' after ']'");
                portText = rest[(close + 2)..];
            }
        }
        else if (rest.Count(c => c == ':') == 1)
        {
            int colon = rest.IndexOf(':');
            addressText = rest[..colon];
            portText = rest[(colon + 1)..];
        }

        if (!IPAddress.TryParse(addressText, out IPAddress? address))
            throw new FormatException($"VIP '{text}': '{addressText}' is not an IPv4 or IPv6 address");
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        ushort port = 0;
        if (portText is not null && !ushort.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port))
            throw new FormatException($"VIP '{text}': port '{portText}' is not a number from 0 to 65535");
        return new VipSpec(address, port, protocols);
    }
}
