using System.Runtime.Versioning;
using Forwarder.Packets;
using Forwarder.Tests.Rewrite;

namespace Forwarder.Tests.LoadBalancing.Fixtures;

/// <summary>The plain packet shapes fixtures start from, and small changes to them.</summary>
[SupportedOSPlatform("linux")]
internal static class Shapes
{
    /// <summary>IPv4 with DF, TTL 64, TCP with 40 bytes of data.</summary>
    public static readonly FlowShape Tcp4 = new(IpVersion.V4, Tcp: true, Tpid: 0, Tci: 0, Ipv4OptionWords: 0, Ipv6Extensions: 0,
        DontFragment: true, TrafficClass: 0, HopLimit: 64, TcpOptionWords: 0, Payload: 40, Padding: 0);

    /// <summary>IPv4 with DF, TTL 64, UDP with 18 bytes of data.</summary>
    public static readonly FlowShape Udp4 = Tcp4 with { Tcp = false, Payload = 18 };

    public static readonly FlowShape Tcp6 = Tcp4 with { Version = IpVersion.V6 };

    public static readonly FlowShape Udp6 = Udp4 with { Version = IpVersion.V6 };

    /// <summary>Behind an 802.1Q tag (or 802.1ad with <paramref name="tpid"/>).</summary>
    public static FlowShape Tagged(this FlowShape shape, ushort tci, ushort tpid = EtherType.Vlan) => shape with { Tpid = tpid, Tci = tci };

    /// <summary>No data, and the link padding that brings the frame to Ethernet's 60-byte minimum.</summary>
    public static FlowShape Padded(this FlowShape shape)
    {
        FlowShape empty = shape with { Payload = 0 };
        int frame = (empty.Tpid == 0 ? 14 : 18) + IpLength(empty);
        return empty with { Padding = Math.Max(60 - frame, 0) };
    }

    /// <summary>Data enough for an IP packet of exactly <paramref name="ipLength"/> bytes.</summary>
    public static FlowShape Sized(this FlowShape shape, int ipLength) => shape with { Payload = shape.Payload + ipLength - IpLength(shape) };

    /// <summary>The length of the IP packet the shape builds.</summary>
    public static int IpLength(FlowShape shape) =>
        shape.TransportOffset + (shape.Tcp ? 20 + 4 * shape.TcpOptionWords : 8) + shape.Payload;
}
