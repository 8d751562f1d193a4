namespace Forwarder.DataPlane;

/// <summary>
/// One worker's load-balancing counters for one snapshot: packets and bytes forwarded per VIP and per
/// backend (to it, and apart from that the replies of a nat backend rewritten back to its VIP), the packets each VIP
/// refused by its allowed sources, and the answers
/// the forwarder gave itself. Written by that worker only, without atomics;
/// readers sum over workers (see <see cref="ForwardingSnapshot.Totals"/>). Bytes are counted as received.
/// </summary>
public sealed class LoadBalancerCounters
{
    public LoadBalancerCounters(int vips, int backends)
    {
        VipPackets = new long[vips];
        VipBytes = new long[vips];
        VipSourceNotAllowed = new long[vips];
        BackendPackets = new long[backends];
        BackendBytes = new long[backends];
        BackendReplyPackets = new long[backends];
        BackendReplyBytes = new long[backends];
        Quic = new long[vips * QuicCounters.PerVip];
    }

    public readonly long[] VipPackets;
    public readonly long[] VipBytes;
    /// <summary>
    /// Packets dropped as <see cref="Forwarder.Packets.DropReason.SourceNotAllowed"/>, by VIP index (also counted once in the queue's drops under that reason).
    /// </summary>
    public readonly long[] VipSourceNotAllowed;
    public readonly long[] BackendPackets;
    public readonly long[] BackendBytes;
    /// <summary>Replies of a nat backend rewritten back to its VIP (never counted in <see cref="BackendPackets"/>).</summary>
    public readonly long[] BackendReplyPackets;
    public readonly long[] BackendReplyBytes;

    /// <summary>The <c>quic</c> VIPs' counters: <see cref="QuicCounters.PerVip"/> per VIP, by VIP index, in <see cref="QuicCounter"/> order.</summary>
    public readonly long[] Quic;

    /// <summary>Echo requests to a VIP answered.</summary>
    public long EchoReplies;

    /// <summary>Packets too big to encapsulate, answered with ICMP "fragmentation needed" / "packet too big".</summary>
    public long TooBigAnswered;

    /// <summary>Replies of nat backends rewritten back to their VIP (also counted under the VIP, and under the backend's replies).</summary>
    public long NatReplies;
}
