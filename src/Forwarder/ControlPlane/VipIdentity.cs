using System.Net;
using System.Net.Sockets;
using Forwarder.Configuration;

namespace Forwarder.ControlPlane;

/// <summary>What names a VIP across configuration changes: its address, port and protocol.</summary>
public readonly record struct VipIdentity(IPAddress Address, ushort Port, VipProtocol Protocol)
{
    public static VipIdentity Of(VipConfig vip) => new(vip.Address, vip.Port, vip.Protocol);

    /// <summary>As operators write it: <c>10.0.0.1:80/tcp</c>, <c>[fc00::1]:*/any</c>.</summary>
    public override string ToString() =>
        $"{(Address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{Address}]" : Address)}:{(Port == 0 ? "*" : Port)}/{ConfigNames.Of(ConfigNames.Protocols, Protocol)}";
}
