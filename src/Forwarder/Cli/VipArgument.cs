using System.Net.Sockets;
using Forwarder.Steering;

namespace Forwarder.Cli;

/// <summary>
/// A VIP named on the command line as in <c>forwarder run --vip</c>: <c>ADDR[:PORT][/tcp|/udp|/any]</c>,
/// IPv6 as <c>[ADDR]:PORT</c>; no port = every port, no protocol = both. Gives the VIP's API path.
/// </summary>
internal sealed record VipArgument(string Address, ushort Port, string Protocol)
{
    /// <exception cref="FormatException">Not a VIP.</exception>
    public static VipArgument Parse(string text)
    {
        VipSpec spec = VipSpec.Parse(text);
        string protocol = spec.Protocols switch
        {
            [ProtocolType.Tcp] => "tcp",
            [ProtocolType.Udp] => "udp",
            _ => "any",
        };
        return new VipArgument(spec.Address.ToString(), spec.Port, protocol);
    }

    /// <summary>E.g. <c>/vips/10.100.0.1/80/tcp</c>.</summary>
    public string Path => $"/vips/{Uri.EscapeDataString(Address)}/{Port}/{Protocol}";

    public override string ToString() => $"{(Address.Contains(':') ? $"[{Address}]" : Address)}:{(Port == 0 ? "*" : Port)}/{Protocol}";
}
