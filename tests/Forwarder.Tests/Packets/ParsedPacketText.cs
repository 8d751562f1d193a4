using System.Runtime.Versioning;
using Forwarder.Packets;

namespace Forwarder.Tests.Packets;

/// <summary>Every field of a <see cref="ParsedPacket"/> on one line, so a failed comparison shows which field differs.</summary>
[SupportedOSPlatform("linux")]
internal static class ParsedPacketText
{
    public static string Describe(in ParsedPacket p) =>
        $"kind={p.Kind} v={p.Version} src={p.Source} dst={p.Destination} proto={p.Protocol} " +
        $"sport={p.SourcePort} dport={p.DestinationPort} ports=0x{p.PortsWord:x8} " +
        $"l3={p.L3Offset} l4={p.L4Offset} el3={p.EmbeddedL3Offset} el4={p.EmbeddedL4Offset} total={p.IpTotalLength} " +
        $"vlan={p.HasVlan}/0x{p.VlanTci:x4} tc=0x{p.TrafficClass:x2} hop={p.HopLimit} tcp={p.TcpFlags} " +
        $"icmp={p.IcmpType}/{p.IcmpCode} df={p.DontFragment} frag={p.Fragment}";
}
