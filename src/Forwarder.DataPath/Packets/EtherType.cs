namespace Forwarder.Packets;

/// <summary>The Ethernet type values the parser acts on (IEEE registry).</summary>
public static class EtherType
{
    public const ushort Ipv4 = 0x0800;
    public const ushort Ipv6 = 0x86DD;

    /// <summary>An IEEE 802.1Q VLAN tag follows: 2 bytes TCI, then the inner Ethernet type.</summary>
    public const ushort Vlan = 0x8100;

    /// <summary>An IEEE 802.1ad service tag; the same layout as <see cref="Vlan"/>.</summary>
    public const ushort ServiceVlan = 0x88A8;
}
