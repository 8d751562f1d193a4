using System.Diagnostics;
using Forwarder.Configuration;
using Forwarder.DataPlane;

namespace Forwarder.ControlPlane;

/// <summary>
/// Per-VIP and per-backend totals (a VIP's refused sources among them) that survive configuration changes. Each snapshot carries its own
/// counters; when a new one is published the old one is retired here. Workers may still be finishing
/// a batch under it, so a retired snapshot is read live for a grace period and only then folded into
/// the running sums, keyed by VIP identity and <see cref="BackendId"/> (never by snapshot indices):
/// two nat backends on one address keep their own sums.
/// </summary>
public sealed class CounterHistory
{
    /// <summary>Far longer than any batch: after it no worker writes a retired snapshot's counters.</summary>
    public static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(2);

    private readonly Dictionary<VipIdentity, (long Packets, long Bytes, long Refused)> _vips = [];
    private readonly Dictionary<(VipIdentity, BackendId), BackendSums> _backends = [];
    private readonly List<(ConfiguredSnapshot Snapshot, long RetiredAt)> _retiring = [];
    private readonly Dictionary<VipIdentity, QuicTotals> _quic = [];
    private long _echoReplies, _tooBigAnswered, _natReplies;

    public void Retire(ConfiguredSnapshot snapshot) => _retiring.Add((snapshot, Stopwatch.GetTimestamp()));

    /// <summary>Adds totals counted before this process (an upgrade's predecessor's) to the running sums.</summary>
    public void Carry(IReadOnlyList<VipTotals> totals, LoadBalancerEventTotals events)
    {
        Add(totals, _vips, _backends, _quic);
        _echoReplies += events.EchoReplies;
        _tooBigAnswered += events.TooBigAnswered;
        _natReplies += events.NatReplies;
    }

    /// <summary>Totals of everything ever forwarded, for the VIPs and backends of <paramref name="current"/>.</summary>
    public IReadOnlyList<VipTotals> Totals(ConfiguredSnapshot current)
    {
        FoldExpired();
        var vips = new Dictionary<VipIdentity, (long Packets, long Bytes, long Refused)>(_vips);
        var backends = new Dictionary<(VipIdentity, BackendId), BackendSums>(_backends);
        var quic = new Dictionary<VipIdentity, QuicTotals>(_quic);
        foreach ((ConfiguredSnapshot snapshot, _) in _retiring)
            Add(snapshot.Totals(), vips, backends, quic);

        var totals = new List<VipTotals>();
        foreach (VipTotals live in current.Totals())
        {
            VipIdentity id = VipIdentity.Of(live.Vip);
            (long packets, long bytes, long refused) = vips.GetValueOrDefault(id);
            totals.Add(live with
            {
                Packets = live.Packets + packets,
                Bytes = live.Bytes + bytes,
                Quic = live.Quic?.Plus(quic.GetValueOrDefault(id)),
                SourceNotAllowed = live.SourceNotAllowed + refused,
                Backends = live.Backends.Select(b =>
                {
                    BackendSums sums = backends.GetValueOrDefault((id, b.Backend));
                    return b with
                    {
                        Packets = b.Packets + sums.Packets, Bytes = b.Bytes + sums.Bytes,
                        ReplyPackets = b.ReplyPackets + sums.ReplyPackets, ReplyBytes = b.ReplyBytes + sums.ReplyBytes,
                    };
                }).ToArray(),
            });
        }
        return totals;
    }

    public LoadBalancerEventTotals EventTotals(ConfiguredSnapshot current)
    {
        FoldExpired();
        long echo = _echoReplies, tooBig = _tooBigAnswered, nat = _natReplies;
        foreach (LoadBalancerEventTotals e in _retiring.Select(r => r.Snapshot.EventTotals()).Append(current.EventTotals()))
        {
            echo += e.EchoReplies;
            tooBig += e.TooBigAnswered;
            nat += e.NatReplies;
        }
        return new LoadBalancerEventTotals(echo, tooBig, nat);
    }

    private void FoldExpired()
    {
        long now = Stopwatch.GetTimestamp();
        for (int i = _retiring.Count - 1; i >= 0; i--)
        {
            (ConfiguredSnapshot snapshot, long retiredAt) = _retiring[i];
            if (Stopwatch.GetElapsedTime(retiredAt, now) < GracePeriod)
                continue;
            Add(snapshot.Totals(), _vips, _backends, _quic);
            LoadBalancerEventTotals events = snapshot.EventTotals();
            _echoReplies += events.EchoReplies;
            _tooBigAnswered += events.TooBigAnswered;
            _natReplies += events.NatReplies;
            _retiring.RemoveAt(i);
        }
    }

    private static void Add(IReadOnlyList<VipTotals> totals, Dictionary<VipIdentity, (long Packets, long Bytes, long Refused)> vips,
        Dictionary<(VipIdentity, BackendId), BackendSums> backends, Dictionary<VipIdentity, QuicTotals> quic)
    {
        foreach (VipTotals vip in totals)
        {
            VipIdentity id = VipIdentity.Of(vip.Vip);
            if (vip.Quic is { } counts)
                quic[id] = counts.Plus(quic.GetValueOrDefault(id));
            (long p, long b, long r) = vips.GetValueOrDefault(id);
            vips[id] = (p + vip.Packets, b + vip.Bytes, r + (vip.SourceNotAllowed ?? 0));
            foreach (BackendTotals backend in vip.Backends)
            {
                BackendSums sums = backends.GetValueOrDefault((id, backend.Backend));
                backends[(id, backend.Backend)] = new BackendSums(sums.Packets + backend.Packets, sums.Bytes + backend.Bytes,
                    sums.ReplyPackets + backend.ReplyPackets, sums.ReplyBytes + backend.ReplyBytes);
            }
        }
    }

    /// <summary>A backend's sums folded from retired snapshots.</summary>
    private readonly record struct BackendSums(long Packets, long Bytes, long ReplyPackets, long ReplyBytes);
}
