namespace Forwarder.Packets;

/// <summary>IP protocol / IPv6 next-header numbers the parser acts on (IANA registry).</summary>
public static class IpProtocol
{
    public const byte HopByHopOptions = 0;
    public const byte Icmp = 1;
    public const byte Tcp = 6;
    public const byte Udp = 17;
    public const byte Routing = 43;
    public const byte Fragment = 44;
    public const byte Icmpv6 = 58;
    public const byte DestinationOptions = 60;
}
