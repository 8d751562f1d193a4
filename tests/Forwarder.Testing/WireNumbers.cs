namespace Forwarder.Testing;

/// <summary>
/// The protocol numbers the reference builders write, spelled out here so that the test input does not
/// depend on the constants of the code under test.
/// </summary>
internal static class WireNumbers
{
    public const ushort EtherTypeIpv4 = 0x0800;
    public const ushort EtherTypeIpv6 = 0x86DD;
    public const ushort EtherTypeVlan = 0x8100;

    public const byte Icmp = 1;
    public const byte Tcp = 6;
    public const byte Udp = 17;
    public const byte Routing = 43;
    public const byte Fragment = 44;
    public const byte Icmpv6 = 58;

    /// <summary>The TCP ACK flag.</summary>
    public const byte TcpAck = 0x10;
}
