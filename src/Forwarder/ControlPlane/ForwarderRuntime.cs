using Forwarder.Configuration;
using Forwarder.DataPlane;
using Forwarder.Steering;

namespace Forwarder.ControlPlane;

/// <summary>
/// The running configuration and everything derived from it: the published forwarding snapshot, the
/// XDP program's steering maps and the health of every backend. Every change — a new file, an API
/// edit, a backend going down or up — is validated whole, turned into a new immutable snapshot and
/// published; workers switch at their next batch and nothing pauses. Building it redoes only the VIPs
/// whose inputs changed (see <see cref="SnapshotParts"/>): a health flip or a weight change costs one
/// VIP's Maglev table, not every VIP's. A change that is refused (or
/// fails half-way) leaves the running configuration, snapshot and maps exactly as they were.
///
/// Order of a change: add the steering keys the new configuration needs, publish its snapshot, then
/// remove the keys it no longer needs — so no packet of a VIP that exists before and after is ever
/// handed back to the kernel in between. Changes are serialised by one lock; readers of the snapshot
/// (the workers) never take it.
/// </summary>
public sealed class ForwarderRuntime
{
    private readonly object _gate = new();
    private readonly byte[] _ownMac;
    private readonly ISteeringMaps _maps;
    private readonly CounterHistory _history = new();
    private readonly HashSet<(VipIdentity Vip, BackendId Backend)> _down = [];
    private readonly SnapshotParts _parts = new();
    private ForwarderConfig _config;
    private SteeringKeys _keys = SteeringKeys.None;
    private long _version = 1;
    private ConfiguredSnapshot _published;

    public ForwarderRuntime(ForwarderConfig config, ReadOnlySpan<byte> ownMac, int workerCount, ISteeringMaps maps)
    {
        _ownMac = ownMac.ToArray();
        _maps = maps;
        _config = config;
        _published = SnapshotBuilder.Build(config, _ownMac, workerCount, _version, parts: _parts);
        Snapshots = new SnapshotSource(_published.Snapshot);
        SteeringKeys keys = SteeringKeys.Of(config);
        _keys.AddMissing(keys, maps);
        _keys = keys;
    }

    /// <summary>What the workers read.</summary>
    public SnapshotSource Snapshots { get; }

    /// <summary>The published snapshot with the configuration of each of its VIP entries (what totals, metrics and the API read).</summary>
    public ConfiguredSnapshot Published => Volatile.Read(ref _published);

    public ForwarderConfig Config
    {
        get { lock (_gate) return _config; }
    }

    /// <summary>Raised (under the change lock, so keep it short) after a new configuration was applied.</summary>
    public event Action<ForwarderConfig>? ConfigApplied;

    /// <summary>Counts changes refused, and faults in change handling that were contained.</summary>
    public long RefusedChanges { get; private set; }

    /// <summary>
    /// Maglev tables computed since start. A change computes only the tables whose inputs (backends, weights,
    /// health, version, ring size) changed; every other VIP keeps its table, and VIPs with equal inputs share one.
    /// </summary>
    public long TablesBuilt => _parts.Tables.TablesBuilt;

    /// <summary>VIP tables taken from an earlier snapshot or shared with another VIP instead of computed.</summary>
    public long TablesReused => _parts.Tables.TablesReused;

    /// <summary>Applies a configuration file's text, validated as a whole.</summary>
    public ChangeResult ApplyYaml(string yaml) => ApplyLoaded(ForwarderConfigLoader.Load(yaml));

    private ChangeResult ApplyLoaded(ConfigLoadResult loaded)
    {
        if (!loaded.IsValid || loaded.Config is not { } config)
        {
            lock (_gate)
            {
                RefusedChanges++;
                return new ChangeResult(false, _version, loaded.Errors.Select(e => e.ToString()).ToArray(), loaded.Warnings.Select(w => w.ToString()).ToArray());
            }
        }
        ChangeResult result = Apply(config);
        return result with { Warnings = loaded.Warnings.Select(w => w.ToString()).ToArray() };
    }

    /// <summary>
    /// Applies an edit of the running configuration (an API call): the edited configuration passes exactly the
    /// validation the file written from it would (<see cref="ForwarderConfigLoader.LoadEdit"/>: only the VIPs
    /// the edit changed are read again).
    /// </summary>
    public ChangeResult Edit(Func<ForwarderConfig, ForwarderConfig> edit)
    {
        lock (_gate)
        {
            ForwarderConfig edited;
            try
            {
                edited = edit(_config);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or KeyNotFoundException or FormatException)
            {
                RefusedChanges++;
                return ChangeResult.Refused(_version, e.Message);
            }
            return ApplyLoaded(ForwarderConfigLoader.LoadEdit(_config, edited));
        }
    }

    /// <summary>Publishes <paramref name="next"/> (already validated) unless it changes what only a restart can.</summary>
    public ChangeResult Apply(ForwarderConfig next)
    {
        lock (_gate)
        {
            if (next.Interface != _config.Interface)
            {
                RefusedChanges++;
                return ChangeResult.Refused(_version,
                    "interface settings (name, queues, cores, xdp_mode, mtu) change only with a restart; the running configuration is unchanged");
            }
            return Publish(next);
        }
    }

    /// <summary>
    /// Marks one backend of one VIP down (out of the VIP's table) or up; republishes when that changes
    /// anything. Only that backend: a nat backend on the same address with another port keeps its state.
    /// </summary>
    public void SetHealth(VipIdentity vip, BackendId backend, bool healthy) => SetHealth([(vip, backend)], healthy);

    /// <summary>
    /// Marks several backends down or up at once (a health target shared by many VIPs) and republishes once
    /// when that changes anything; only the tables of the VIPs concerned are rebuilt.
    /// </summary>
    public void SetHealth(IEnumerable<(VipIdentity Vip, BackendId Backend)> backends, bool healthy)
    {
        lock (_gate)
        {
            bool changed = false;
            foreach ((VipIdentity, BackendId) backend in backends)
                changed |= healthy ? _down.Remove(backend) : _down.Add(backend);
            if (changed)
                Publish(_config);
        }
    }

    /// <summary>
    /// Clears the down marks <paramref name="unbacked"/> picks (given the running configuration and every current mark)
    /// and republishes once when that changes anything. It decides and clears in one step under the change lock, so
    /// a mark a health change adds meanwhile is never cleared on facts read before it was added.
    /// </summary>
    public void ClearHealthMarks(
        Func<ForwarderConfig, IReadOnlyList<(VipIdentity Vip, BackendId Backend)>, IEnumerable<(VipIdentity Vip, BackendId Backend)>> unbacked)
    {
        lock (_gate)
        {
            bool changed = false;
            foreach ((VipIdentity, BackendId) backend in unbacked(_config, _down.ToArray()).ToArray())
                changed |= _down.Remove(backend);
            if (changed)
                Publish(_config);
        }
    }

    /// <summary>Backends currently marked down, by VIP.</summary>
    public IReadOnlyList<(VipIdentity Vip, BackendId Backend)> DownBackends
    {
        get { lock (_gate) return _down.ToArray(); }
    }

    public IReadOnlyList<VipTotals> Totals()
    {
        lock (_gate) return _history.Totals(_published);
    }

    public LoadBalancerEventTotals EventTotals()
    {
        lock (_gate) return _history.EventTotals(_published);
    }

    /// <summary>Goes on counting from an upgrade's predecessor's totals (<see cref="CounterHistory.Carry"/>).</summary>
    public void Carry(IReadOnlyList<VipTotals> totals, LoadBalancerEventTotals events)
    {
        lock (_gate) _history.Carry(totals, events);
    }

    private ChangeResult Publish(ForwarderConfig next)
    {
        ConfiguredSnapshot current = _published;
        ConfiguredSnapshot snapshot;
        SteeringKeys keys;
        try
        {
            snapshot = SnapshotBuilder.Build(next, _ownMac, Snapshots.WorkerCount, _version + 1, _down.Count == 0 ? null : _down.ToHashSet(), _parts);
            keys = ReferenceEquals(next, _config) ? _keys : SteeringKeys.Of(next); // a health change steers nothing new
        }
        catch (ArgumentException e)
        {
            RefusedChanges++;
            return ChangeResult.Refused(_version, $"the configuration could not be turned into forwarding tables: {e.Message}");
        }

        try
        {
            _keys.AddMissing(keys, _maps);
        }
        catch (Exception e) when (e is AfXdp.XdpException or InvalidOperationException)
        {
            keys.RemoveStale(_keys, _maps); // take back what was added
            RefusedChanges++;
            return ChangeResult.Refused(_version, $"the XDP program's maps refused the change: {e.Message}");
        }

        Snapshots.Publish(snapshot.Snapshot);
        Volatile.Write(ref _published, snapshot);
        _history.Retire(current);
        try
        {
            _keys.RemoveStale(keys, _maps);
        }
        catch (Exception e) when (e is AfXdp.XdpException or InvalidOperationException)
        {
            // Stale keys only steer packets of removed VIPs to the workers, which drop them as unknown_vip.
            RefusedChanges++;
        }
        _keys = keys;
        _config = next;
        _version = snapshot.Snapshot.Version;
        ConfigApplied?.Invoke(next);
        return new ChangeResult(true, _version, [], []);
    }
}
