using System.Runtime.CompilerServices;
using Forwarder.Packets;

namespace Forwarder.DataPlane;

/// <summary>
/// Connection-id routing for a <c>quic</c> VIP (Katran's <c>F_QUIC_VIP</c>): a UDP packet whose QUIC header
/// carries a server id (<see cref="QuicHeader"/>) goes to the backend with that id while it is configured and
/// not down, whatever the client's address and port, so a connection survives NAT rebinding and migration.
/// Everything else — Initial and 0-RTT packets, no or a too-short connection id, an unknown or retired id —
/// takes the Maglev choice (through the connection table, when there is one). ICMP errors quoting a quic flow
/// never get here: a quoted header is not guaranteed whole, so they follow Maglev as Katran's do.
///
/// The connection-table rule (as Katran's <c>check_and_update_real_index_in_lru</c>): a packet routed by
/// connection id never asks the table, and the table then remembers that backend for its 5-tuple, so the
/// flow's later packets without a usable id (a long-header retransmit) reach the same backend.
/// Allocates nothing, locks nothing, throws nothing on any payload.
/// </summary>
public static unsafe class QuicRouting
{
    /// <summary>
    /// The backend id packet <paramref name="i"/> of <paramref name="batch"/> goes to by its connection id, or -1
    /// (Maglev decides). Counts the packet's outcome in <paramref name="counters"/> (the VIP's block of
    /// <see cref="LoadBalancerCounters.Quic"/> starts at <paramref name="counterBase"/>).
    /// </summary>
    public static int Route(PacketBatch batch, int i, in ParsedPacket packet, VipEntry vip, QuicServerIds ids, long[] counters, int counterBase)
    {
        int payload = packet.L4Offset + UdpHeaderLength;
        int length = packet.IpEnd - payload;
        QuicConnectionId cid = length > 0
            ? QuicHeader.Read(new ReadOnlySpan<byte>(batch.Data(i) + payload, length))
            : default;
        int backend = Resolve(cid, vip, ids, counters, counterBase);
        counters[counterBase + (int)(backend >= 0 ? QuicCounter.CidRouted : QuicCounter.MaglevRouted)]++;
        return backend;
    }

    /// <summary>The backend of a connection id's server id, or -1, counting the version and any reason to fall back.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Resolve(in QuicConnectionId cid, VipEntry vip, QuicServerIds ids, long[] counters, int counterBase)
    {
        if (cid.Kind == QuicHeaderKind.Initial)
        {
            counters[counterBase + (int)QuicCounter.Initial]++;
            return -1;
        }
        if (cid.Kind != QuicHeaderKind.ConnectionId)
            return -1;
        counters[counterBase + (int)QuicCounter.CidV0 + cid.CidVersion]++;
        if (cid.ServerId == 0)
            return -1;
        int backend = ids.Find(cid.ServerId);
        if (backend == QuicServerIds.Unknown)
        {
            counters[counterBase + (int)QuicCounter.UnknownServerId]++;
            return -1;
        }
        if (backend == QuicServerIds.Retired || vip.Backends[backend].Down)
        {
            counters[counterBase + (int)QuicCounter.RetiredServerId]++;
            return -1;
        }
        return backend;
    }

    private const int UdpHeaderLength = 8;
}
