using Forwarder.DataPlane;

namespace Forwarder.ControlPlane;

/// <summary>A quic VIP's <see cref="QuicCounter"/> counts, summed over workers (and, in totals, over snapshots), by counter.</summary>
public sealed class QuicTotals
{
    private readonly long[] _counts;

    public QuicTotals(IReadOnlyList<long> counts)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(counts.Count, QuicCounters.PerVip);
        _counts = counts.ToArray();
    }

    public long this[QuicCounter counter] => _counts[(int)counter];

    public QuicTotals Plus(QuicTotals? other) =>
        other is null ? this : new QuicTotals(_counts.Select((c, i) => c + other._counts[i]).ToArray());

    /// <summary>By operator name (<see cref="QuicCounters.Name"/>), in layout order.</summary>
    public IReadOnlyDictionary<string, long> ByName() =>
        QuicCounters.All.ToDictionary(QuicCounters.Name, c => this[c]);
}
