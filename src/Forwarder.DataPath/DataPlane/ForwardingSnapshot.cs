using Forwarder.Maglev;
using Forwarder.Packets;

namespace Forwarder.DataPlane;

/// <summary>
/// Everything the workers need to forward, as one immutable object built by the control plane
/// and published through a <see cref="SnapshotSource"/>.
/// Only its counters change after publication, each worker writing its own.
/// </summary>
public sealed class ForwardingSnapshot
{
    public required long Version { get; init; }

    /// <summary>By VIP index.</summary>
    public required VipEntry[] Vips
    {
        get => _vips;
        init
        {
            _vips = value;
            AnyQuic = value.Any(v => v.Quic is not null);
        }
    }

    private readonly VipEntry[] _vips = [];

    /// <summary>Some VIP is a <c>quic</c> VIP (<see cref="VipEntry.Quic"/>): the stage then chooses backends in a pass of their own.</summary>
    public bool AnyQuic { get; private init; }

    /// <summary>(VIP address, port or 0, protocol) → VIP index.</summary>
    public required VipKeyTable VipLookup { get; init; }

    /// <summary>(VIP address, 0, 0) → 0 for every VIP address: echo requests to these are answered.</summary>
    public required VipKeyTable VipAddresses { get; init; }

    /// <summary>(nat backend address, its port or 0, protocol) → index into <see cref="NatReplies"/>.</summary>
    public required VipKeyTable NatReplyLookup { get; init; }

    public required NatReplyEntry[] NatReplies { get; init; }

    /// <summary>Largest IP packet sent once encapsulated.</summary>
    public required int Mtu { get; init; }

    /// <summary>gue: the outer UDP destination port (host order).</summary>
    public required ushort GuePort { get; init; }

    /// <summary>The ring size most VIPs share: ring indices are computed for the whole batch with it.</summary>
    public required RingIndexer CommonIndexer { get; init; }

    /// <summary>One set of counters per worker, by worker index.</summary>
    public required LoadBalancerCounters[] Counters { get; init; }

    /// <summary>Per-backend counter slots in use (the length of each worker's backend arrays).</summary>
    public int BackendCounterCount => Counters.Length == 0 ? 0 : Counters[0].BackendPackets.Length;

    /// <summary>Forwarded packets and bytes per VIP and backend (and the backends' nat replies, and the VIPs' refused sources), summed over workers, by VIP index.</summary>
    public IReadOnlyList<VipCounts> Counts()
    {
        var counts = new VipCounts[Vips.Length];
        foreach (VipEntry vip in Vips)
        {
            var backends = new BackendCounts[vip.Backends.Length];
            for (int b = 0; b < backends.Length; b++)
            {
                int slot = vip.Backends[b].CounterIndex;
                backends[b] = new BackendCounts(b,
                    Sum(c => c.BackendPackets[slot]), Sum(c => c.BackendBytes[slot]), Sum(c => c.BackendReplyPackets[slot]), Sum(c => c.BackendReplyBytes[slot]));
            }
            counts[vip.Index] = new VipCounts(vip.Index, Sum(c => c.VipPackets[vip.Index]), Sum(c => c.VipBytes[vip.Index]), backends)
            {
                SourceNotAllowed = Sum(c => c.VipSourceNotAllowed[vip.Index]),
            };
        }
        return counts;
    }

    /// <summary>VIP <paramref name="vip"/>'s <see cref="QuicCounter"/> counts summed over workers, in layout order.</summary>
    public long[] QuicCounts(int vip)
    {
        var sums = new long[QuicCounters.PerVip];
        foreach (LoadBalancerCounters counters in Counters)
        {
            for (int c = 0; c < sums.Length; c++)
                sums[c] += counters.Quic[vip * QuicCounters.PerVip + c];
        }
        return sums;
    }

    public LoadBalancerEventTotals EventTotals() =>
        new(Sum(c => c.EchoReplies), Sum(c => c.TooBigAnswered), Sum(c => c.NatReplies));

    private long Sum(Func<LoadBalancerCounters, long> read)
    {
        long sum = 0;
        foreach (LoadBalancerCounters counters in Counters)
            sum += read(counters);
        return sum;
    }

    /// <summary>The VIP a packet to (address, port, protocol) belongs to, as the workers match it; -1 if none.</summary>
    public int FindVip(in WireAddress address, IpVersion version, byte protocol, ushort portNetworkOrder) =>
        VipLookup.FindWithAnyPort(new VipKey(address, version, protocol, portNetworkOrder));
}
