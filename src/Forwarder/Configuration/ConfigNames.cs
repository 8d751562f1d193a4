using AfXdp;
using Forwarder.Maglev;
using Forwarder.Packets;

namespace Forwarder.Configuration;

/// <summary>
/// The file's spelling of every enumerated setting, shared by the loader and the writer
/// so that what one writes the other reads.
/// </summary>
internal static class ConfigNames
{
    public static readonly ConfigChoice<ForwardingMode>[] Modes =
        [new("ipip", ForwardingMode.Ipip), new("gue", ForwardingMode.Gue), new("dsr-l2", ForwardingMode.DsrL2), new("nat", ForwardingMode.Nat)];

    public static readonly ConfigChoice<VipProtocol>[] Protocols =
        [new("any", VipProtocol.Any), new("tcp", VipProtocol.Tcp), new("udp", VipProtocol.Udp)];

    public static readonly ConfigChoice<VipFlags>[] Flags =
        [new("no_source_port", VipFlags.NoSourcePort), new("dport_only", VipFlags.DestinationPortOnly), new("src_dst_port", VipFlags.SourceAndDestinationPort)];

    public static readonly ConfigChoice<VipFlowTable>[] FlowTableUses = [new("remember", VipFlowTable.Remember), new("bypass", VipFlowTable.Bypass)];

    public static readonly ConfigChoice<MaglevVersion>[] MaglevVersions = [new("v2", MaglevVersion.V2), new("v1", MaglevVersion.V1)];

    public static readonly ConfigChoice<XdpMode>[] XdpModes = [new("native", XdpMode.Native), new("skb", XdpMode.Skb)];

    public static readonly ConfigChoice<HealthCheckKind>[] HealthCheckKinds = [new("tcp", HealthCheckKind.Tcp), new("http", HealthCheckKind.Http)];

    public static readonly ConfigChoice<HealthCheckVia>[] HealthCheckVias = [new("backend", HealthCheckVia.Backend), new("vip", HealthCheckVia.Vip)];

    public static string Of<T>(ConfigChoice<T>[] choices, T value) where T : struct, Enum =>
        choices.First(c => EqualityComparer<T>.Default.Equals(c.Value, value)).Name;

    public static string List<T>(ConfigChoice<T>[] choices) where T : struct, Enum => string.Join(", ", choices.Select(c => c.Name));
}
