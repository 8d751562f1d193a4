using Forwarder.Packets;

namespace Forwarder.FlowTable;

/// <summary>
/// The packet that opens a TCP connection: a client's SYN without ACK. It always takes the current
/// Maglev choice (and replaces whatever the <see cref="ConnectionTable"/> remembered for its 5-tuple),
/// so a new connection is never pinned to where an old one with the same ports went.
/// </summary>
public static class TcpSyn
{
    public static bool StartsConnection(in ParsedPacket packet) =>
        packet.Kind == PacketKind.Flow
        && packet.Protocol == IpProtocol.Tcp
        && (packet.TcpFlags & (TcpFlags.Syn | TcpFlags.Ack)) == TcpFlags.Syn;
}
