namespace Forwarder.Packets;

/// <summary>
/// Reads the server id a QUIC packet's destination connection id carries, as Katran's <c>parse_quic</c> does
/// (draft-ietf-quic-invariants; Katran's connection-id versions). Only the header-form bit and, for a long
/// header, the packet type are looked at; the fixed bit is not (Katran does not check it either, so a
/// grease-QUIC-bit peer still routes). Reads at most 14 bytes; never throws on any input.
/// <list type="bullet">
/// <item>short header (first byte &amp; 0x80 = 0): the connection id starts at byte 1; at least 8 bytes of it are needed;</item>
/// <item>long header: Initial (type 0x00) and 0-RTT (0x10) carry the client's own connection id, never a server's:
///   <see cref="QuicHeaderKind.Initial"/>; Handshake (0x20) and Retry (0x30) carry the server's when the
///   destination connection id length (byte 5) is at least 8 (it starts at byte 6).</item>
/// </list>
/// The connection id's top two bits are its version: v1 holds a 16-bit server id in bits 2..17, v2 a 24-bit
/// one in bytes 1..3, v3 a 32-bit one in bytes 1..4; v0 holds none. Katran keeps the server id as a positive
/// signed 32-bit number: 0, and a v3 id with the top bit set, carry no server id.
/// </summary>
public static class QuicHeader
{
    /// <summary>Katran's <c>QUIC_MIN_CONNID_LEN</c>: connection-id bytes a routable packet must carry.</summary>
    public const int MinConnectionIdLength = 8;

    /// <summary>The largest server id any version carries (Katran's server id is a positive <c>int</c>).</summary>
    public const uint MaxServerId = int.MaxValue;

    /// <summary>The largest server id each connection-id version can carry (index: version 1..3).</summary>
    public static uint MaxServerIdOf(int cidVersion) => cidVersion switch
    {
        1 => 0xFFFF,
        2 => 0xFF_FFFF,
        3 => MaxServerId,
        _ => 0,
    };

    private const byte LongHeaderBit = 0x80;
    private const byte PacketTypeMask = 0x30;
    private const byte HandshakeType = 0x20;
    private const int ShortHeaderConnectionIdOffset = 1;
    private const int LongHeaderLengthByte = 5;
    private const int LongHeaderConnectionIdOffset = 6;

    /// <summary>What the QUIC header in <paramref name="payload"/> (a UDP payload) says about routing.</summary>
    public static QuicConnectionId Read(ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty)
            return default;
        int offset;
        if ((payload[0] & LongHeaderBit) == 0)
        {
            offset = ShortHeaderConnectionIdOffset;
        }
        else
        {
            if (payload.Length < LongHeaderConnectionIdOffset + MinConnectionIdLength)
                return default;
            if ((payload[0] & PacketTypeMask) < HandshakeType)
                return new QuicConnectionId(QuicHeaderKind.Initial, 0, 0);
            if (payload[LongHeaderLengthByte] < MinConnectionIdLength)
                return default;
            offset = LongHeaderConnectionIdOffset;
        }
        if (payload.Length < offset + MinConnectionIdLength)
            return default;
        return Decode(payload.Slice(offset, MinConnectionIdLength));
    }

    /// <summary>The version and server id of a connection id of at least 8 bytes (Katran's layouts).</summary>
    public static QuicConnectionId Decode(ReadOnlySpan<byte> cid)
    {
        if (cid.Length < MinConnectionIdLength)
            return default;
        byte version = (byte)(cid[0] >> 6);
        uint serverId = version switch
        {
            1 => (uint)(((cid[0] & 0x3F) << 10) | (cid[1] << 2) | (cid[2] >> 6)),
            2 => (uint)((cid[1] << 16) | (cid[2] << 8) | cid[3]),
            3 => ((uint)cid[1] << 24) | ((uint)cid[2] << 16) | ((uint)cid[3] << 8) | cid[4],
            _ => 0,
        };
        if (serverId > MaxServerId)
            serverId = 0;
        return new QuicConnectionId(QuicHeaderKind.ConnectionId, version, serverId);
    }
}

/// <summary>What <see cref="QuicHeader.Read"/> found.</summary>
public enum QuicHeaderKind : byte
{
    /// <summary>No connection id to route by: empty or too short a header, or a long header with a destination connection id under 8 bytes.</summary>
    None = 0,

    /// <summary>A long-header Initial or 0-RTT packet: its connection id is the client's choice.</summary>
    Initial,

    /// <summary>A connection id was read: see <see cref="QuicConnectionId.CidVersion"/> and <see cref="QuicConnectionId.ServerId"/>.</summary>
    ConnectionId,
}

/// <summary>A QUIC packet's connection-id version (0..3) and the server id in it (0: none).</summary>
public readonly record struct QuicConnectionId(QuicHeaderKind Kind, byte CidVersion, uint ServerId)
{
    public bool HasServerId => Kind == QuicHeaderKind.ConnectionId && ServerId != 0;
}
