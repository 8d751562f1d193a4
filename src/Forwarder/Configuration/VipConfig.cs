using System.Net;
using Forwarder.Hashing;
using Forwarder.Packets;

namespace Forwarder.Configuration;

/// <summary>One virtual IP service: what it matches, how its packets are forwarded and to which backends.</summary>
public sealed record VipConfig
{
    public required IPAddress Address { get; init; }

    /// <summary>Destination port matched; 0 = every port (flows are then hashed with destination port 0).</summary>
    public ushort Port { get; init; }

    public VipProtocol Protocol { get; init; } = VipProtocol.Any;

    public ForwardingMode Mode { get; init; } = ForwardingMode.Ipip;

    public VipFlags Flags { get; init; } = VipFlags.None;

    public MaglevConfig Maglev { get; init; } = MaglevConfig.Default;

    /// <summary>Whether this VIP's flows use the connection table (<c>flow_table</c>); only with <c>--flow-table</c>.</summary>
    public VipFlowTable FlowTable { get; init; } = VipFlowTable.Remember;

    /// <summary>Backends in file order. None (or none with a positive weight) means the VIP's packets are dropped and counted.</summary>
    public EquatableArray<BackendConfig> Backends { get; init; } = [];

    /// <summary>
    /// Route UDP packets by the server id in their QUIC connection id (<see cref="BackendConfig.ServerId"/>);
    /// only for <c>protocol: udp</c>.
    /// </summary>
    public bool Quic { get; init; }

    /// <summary>How backends are probed; <c>null</c> = not probed, always considered healthy.</summary>
    public HealthCheckConfig? HealthCheck { get; init; }

    /// <summary>The client prefixes the VIP serves (<c>allowed_sources</c>), of its own family; <c>null</c> = every source. Never empty.</summary>
    public EquatableArray<IPNetwork>? AllowedSources { get; init; }

    /// <summary>
    /// What enters the flow hash, by Katran's rules: port-0 VIPs hash destination port 0 unless <see cref="VipFlags.DestinationPortOnly"/>
    /// or <see cref="VipFlags.SourceAndDestinationPort"/> keep it, <see cref="VipFlags.NoSourcePort"/> hashes source port 0,
    /// <see cref="VipFlags.DestinationPortOnly"/> hashes the destination port alone.
    /// </summary>
    public FlowHashOptions HashOptions =>
        (Port == 0 && (Flags & (VipFlags.DestinationPortOnly | VipFlags.SourceAndDestinationPort)) == 0 ? FlowHashOptions.ZeroDestinationPort : FlowHashOptions.None)
        | ((Flags & VipFlags.NoSourcePort) != 0 ? FlowHashOptions.ZeroSourcePort : FlowHashOptions.None)
        | ((Flags & VipFlags.DestinationPortOnly) != 0 ? FlowHashOptions.DestinationPortOnly : FlowHashOptions.None);
}
