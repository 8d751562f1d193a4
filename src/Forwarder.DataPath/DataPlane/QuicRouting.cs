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
        QuicDecision decision = Decide(cid, vip, ids);
        if (cid.Kind == QuicHeaderKind.ConnectionId)
            counters[counterBase + (int)QuicCounter.CidV0 + cid.CidVersion]++;
        counters[counterBase + (int)decision.Outcome]++;
        if (decision.Outcome is not (QuicCounter.CidRouted or QuicCounter.MaglevRouted))
            counters[counterBase + (int)QuicCounter.MaglevRouted]++; // a reason to fall back is counted beside the fallback
        return decision.Backend;
    }

    /// <summary>
    /// What <paramref name="vip"/> does with a packet whose header reads <paramref name="cid"/>, counting nothing:
    /// <see cref="QuicCounter.CidRouted"/> with the backend its server id names while that backend is configured
    /// and not down; else backend -1 (Maglev decides) and why — <see cref="QuicCounter.Initial"/>,
    /// <see cref="QuicCounter.UnknownServerId"/>, <see cref="QuicCounter.RetiredServerId"/>, or
    /// <see cref="QuicCounter.MaglevRouted"/> when there is no connection id or it carries no server id (v0, id 0).
    /// The workers (<see cref="Route"/>) and <c>forwarder flow</c> (<see cref="FlowDecision.DecideQuic"/>) both ask this.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static QuicDecision Decide(in QuicConnectionId cid, VipEntry vip, QuicServerIds ids)
    {
        if (cid.Kind == QuicHeaderKind.Initial)
            return new QuicDecision(QuicCounter.Initial, -1);
        if (!cid.HasServerId)
            return new QuicDecision(QuicCounter.MaglevRouted, -1);
        int backend = ids.Find(cid.ServerId);
        if (backend == QuicServerIds.Unknown)
            return new QuicDecision(QuicCounter.UnknownServerId, -1);
        if (backend == QuicServerIds.Retired || vip.Backends[backend].Down)
            return new QuicDecision(QuicCounter.RetiredServerId, -1);
        return new QuicDecision(QuicCounter.CidRouted, backend);
    }

    private const int UdpHeaderLength = 8;
}
