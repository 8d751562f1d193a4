using System.Net;
using Forwarder.Packets;

namespace Forwarder.Configuration;

/// <summary>Checks the VIPs against each other: no address, port and protocol may be served twice.</summary>
internal static class VipListChecks
{
    public static void CheckDuplicates(IReadOnlyList<ParsedVip> vips, ConfigDiagnostics diagnostics)
    {
        var served = new Dictionary<EndpointKey, ParsedVip>();
        foreach (ParsedVip vip in vips.Where(v => v.IdentityIsValid))
        {
            bool reported = false; // one error per VIP is enough
            foreach (VipProtocol protocol in ConcreteProtocols(vip.Config.Protocol))
            {
                var key = new EndpointKey(vip.Config.Address, vip.Config.Port, (int)protocol);
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

    /// <summary>
    /// Replies of nat backends are matched by their source (backend address, port, protocol) to be
    /// rewritten back to their VIP, statelessly: one such source may belong to one VIP only.
    /// </summary>
    public static void CheckNatReplySources(IReadOnlyList<ParsedVip> vips, ConfigDiagnostics diagnostics)
    {
        var sources = new Dictionary<EndpointKey, ParsedVip>();
        foreach (ParsedVip vip in vips.Where(v => v.IdentityIsValid && v.Config.Mode == ForwardingMode.Nat))
        {
            bool reported = false;
            foreach (BackendConfig backend in vip.Config.Backends)
            {
                ushort port = backend.Port ?? vip.Config.Port;
                foreach (VipProtocol protocol in ConcreteProtocols(vip.Config.Protocol))
                {
                    var key = new EndpointKey(backend.Address, port, (int)protocol);
                    if (sources.TryAdd(key, vip) || reported || ReferenceEquals(sources[key], vip))
                        continue;
                    ParsedVip first = sources[key];
                    string where = port == 0 ? "every port" : $"port {port}";
                    diagnostics.Error(ConfigPath.Member(vip.Path, "backends"), vip.Node,
                        $"nat backend {backend.Address} {where} {ConfigNames.Of(ConfigNames.Protocols, protocol)} also serves {first.Path} (line {first.Node.Line}); its replies could not be told apart — give it another port for one of the VIPs");
                    reported = true;
                }
            }
        }
    }

    private static VipProtocol[] ConcreteProtocols(VipProtocol protocol) =>
        protocol == VipProtocol.Any ? [VipProtocol.Tcp, VipProtocol.Udp] : [protocol];
}
