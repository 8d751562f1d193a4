using System.Runtime.Versioning;
using Forwarder.FlowTable;
using Forwarder.Packets;

namespace Forwarder.Tests.FlowTable;

/// <summary>
/// The connection table's behaviour written the obvious way — a dictionary, and a list of keys per
/// bucket — to compare the real table with. It borrows only the table's choice of bucket per key.
/// Victims are chosen by (dead first, then oldest), so the test keeps every stamp distinct.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class ReferenceConnectionTable
{
    private readonly ConnectionTable _shape;
    private readonly uint _tcpTimeout;
    private readonly uint _udpTimeout;
    private readonly Dictionary<FlowKey, Entry> _entries = [];
    private readonly List<FlowKey>[] _buckets;
    private int _sweepCursor;

    public ReferenceConnectionTable(ConnectionTable shape)
    {
        _shape = shape;
        _tcpTimeout = FlowClock.ToTicks(shape.Options.TcpIdleTimeout);
        _udpTimeout = FlowClock.ToTicks(shape.Options.UdpIdleTimeout);
        _buckets = new List<FlowKey>[shape.BucketCount];
        for (int b = 0; b < _buckets.Length; b++)
            _buckets[b] = [];
    }

    public long Count => _entries.Count;
    public long Hits { get; private set; }
    public long Misses { get; private set; }
    public long Evictions { get; private set; }
    public long Expired { get; private set; }

    public bool TryGet(FlowKey key, uint now, out WireAddress backend, out IpVersion version, out ushort port)
    {
        if (_entries.TryGetValue(key, out Entry entry))
        {
            if (!IsDead(key, entry.Stamp, now))
            {
                _entries[key] = entry with { Stamp = now };
                Hits++;
                (backend, version, port) = (entry.Backend, entry.Version, entry.Port);
                return true;
            }
            Forget(key);
            Expired++;
        }
        Misses++;
        (backend, version, port) = (default, IpVersion.None, (ushort)0);
        return false;
    }

    public void Set(FlowKey key, WireAddress backend, IpVersion version, ushort port, uint now)
    {
        if (_entries.TryGetValue(key, out Entry old))
        {
            if (IsDead(key, old.Stamp, now))
                Expired++;
            _entries[key] = new Entry(backend, version, port, now);
            return;
        }
        List<FlowKey> bucket = _buckets[_shape.BucketOf(key)];
        if (bucket.Count == _shape.Ways)
        {
            FlowKey victim = bucket.MaxBy(k => (IsDead(k, _entries[k].Stamp, now), now - _entries[k].Stamp));
            if (IsDead(victim, _entries[victim].Stamp, now))
                Expired++;
            else
                Evictions++;
            Forget(victim);
        }
        _entries[key] = new Entry(backend, version, port, now);
        bucket.Add(key);
    }

    public bool Remove(FlowKey key)
    {
        if (!_entries.ContainsKey(key))
            return false;
        Forget(key);
        return true;
    }

    public int Sweep(uint now, int buckets)
    {
        int freed = 0;
        for (int i = 0; i < Math.Clamp(buckets, 0, _buckets.Length); i++)
        {
            foreach (FlowKey key in _buckets[_sweepCursor].Where(k => IsDead(k, _entries[k].Stamp, now)).ToList())
            {
                Forget(key);
                freed++;
            }
            _sweepCursor = (_sweepCursor + 1) % _buckets.Length;
        }
        Expired += freed;
        return freed;
    }

    private bool IsDead(FlowKey key, uint stamp, uint now) =>
        now - stamp > (key.Protocol == IpProtocol.Tcp ? _tcpTimeout : _udpTimeout);

    private void Forget(FlowKey key)
    {
        _entries.Remove(key);
        _buckets[_shape.BucketOf(key)].Remove(key);
    }

    private readonly record struct Entry(WireAddress Backend, IpVersion Version, ushort Port, uint Stamp);
}
