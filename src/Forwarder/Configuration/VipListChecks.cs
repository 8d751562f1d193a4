using System.Net;

namespace Forwarder.Configuration;

/// <summary>Checks the VIPs against each other: no address, port and protocol may be served twice.</summary>
internal static class VipListChecks
{
    public static void CheckDuplicates(IReadOnlyList<ParsedVip> vips, ConfigDiagnostics diagnostics)
    {
        var served = new Dictionary<(IPAddress Address, ushort Port, VipProtocol Protocol), ParsedVip>();
        foreach (ParsedVip vip in vips.Where(v => v.IdentityIsValid))
        {
            bool reported = false; // one error per VIP is enough
            foreach (VipProtocol protocol in ConcreteProtocols(vip.Config.Protocol))
            {
                var key = (vip.Config.Address, vip.Config.Port, protocol);
                if (served.TryAdd(key, vip) || reported)
                    continue;
                ParsedVip first = served[key];
                string port = vip.Config.Port == 0 ? "every port (port 0)" : $"port {vip.Config.Port}";
                diagnostics.Error(vip.Path, vip.Node,
                    $"{vip.Config.Address} {port} {ConfigNames.Of(ConfigNames.Protocols, protocol)} is already served by {first.Path} (line {first.Node.Line}); a VIP is one address, port and protocol");
                reported = true;
            }
        }
    }

    private static VipProtocol[] ConcreteProtocols(VipProtocol protocol) =>
        protocol == VipProtocol.Any ? [VipProtocol.Tcp, VipProtocol.Udp] : [protocol];
}
