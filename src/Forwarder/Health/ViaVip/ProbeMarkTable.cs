using System.Collections.Frozen;

namespace Forwarder.Health.ViaVip;

/// <summary>
/// The probe mark of each <see cref="ProbeRoute"/>: <see cref="Base"/> plus an index from 1 to <see cref="Capacity"/>
/// (bpf/healthcheck.c matches the base in the high 16 bits). A route keeps its mark for as long as it is assigned;
/// a removed route's index is reused, lowest first. Readers (<see cref="Current"/>) never wait for a writer.
/// </summary>
public sealed class ProbeMarkTable
{
    /// <summary>The high 16 bits of every probe mark ("LB"); PROBE_MARK_BASE in bpf/healthcheck.c.</summary>
    public const uint Base = 0x4C420000;

    /// <summary>At most this many routes; MAX_PROBE_TARGETS in bpf/healthcheck.c holds them all.</summary>
    public const int Capacity = 4095;

    private readonly object _gate = new();
    private FrozenDictionary<ProbeRoute, uint> _current = FrozenDictionary<ProbeRoute, uint>.Empty;

    /// <summary>The marks as of now.</summary>
    public IReadOnlyDictionary<ProbeRoute, uint> Current => Volatile.Read(ref _current);

    /// <summary>Whether <paramref name="mark"/> is in the probe range (whether or not assigned).</summary>
    public static bool IsProbeMark(uint mark) => (mark & 0xFFFF0000) == Base;

    /// <summary>
    /// Holds marks for exactly <paramref name="routes"/> from now on; returns the marks that were released.
    /// Throws (changing nothing) when there are more than <see cref="Capacity"/>.
    /// </summary>
    public IReadOnlyList<uint> Assign(IEnumerable<ProbeRoute> routes)
    {
        HashSet<ProbeRoute> wanted = [.. routes];
        if (wanted.Count > Capacity)
            throw new InvalidOperationException($"{wanted.Count} backends are probed via the VIP; at most {Capacity} can be");
        lock (_gate)
        {
            var next = new Dictionary<ProbeRoute, uint>();
            var released = new List<uint>();
            foreach ((ProbeRoute route, uint mark) in _current)
            {
                if (wanted.Contains(route))
                    next.Add(route, mark);
                else
                    released.Add(mark);
            }
            var used = next.Values.ToHashSet();
            uint index = 1;
            foreach (ProbeRoute route in wanted.Where(route => !next.ContainsKey(route)))
            {
                while (used.Contains(Base | index))
                    index++;
                next.Add(route, Base | index);
                used.Add(Base | index);
            }
            Volatile.Write(ref _current, next.ToFrozenDictionary());
            return released;
        }
    }
}
