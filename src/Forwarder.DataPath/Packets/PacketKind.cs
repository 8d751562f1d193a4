namespace Forwarder.Packets;

/// <summary>What a frame that parsed cleanly asks of the load balancer.</summary>
public enum PacketKind : byte
{
    /// <summary>The frame did not parse; the parser's drop reason says why.</summary>
    None = 0,

    /// <summary>A TCP or UDP packet of a client flow.</summary>
    Flow,

    /// <summary>
    /// An ICMP destination unreachable (IPv4 type 3, any code, e.g. 4 "fragmentation needed") or ICMPv6
    /// destination unreachable (type 1) / packet too big (type 2) quoting a packet of a flow: the flow
    /// fields describe the client flow the quoted packet belongs to, so the error reaches the same backend.
    /// </summary>
    IcmpError,

    /// <summary>An ICMP echo request (IPv4 type 8, ICMPv6 type 128); it carries no ports.</summary>
    EchoRequest,
}
