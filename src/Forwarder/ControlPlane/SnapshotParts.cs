using Forwarder.Configuration;
using Forwarder.DataPlane;
using Forwarder.Maglev;

namespace Forwarder.ControlPlane;

/// <summary>
/// What the last snapshot was built from and made of, so that the next build (a health flip, a weight
/// change) redoes only the VIPs whose inputs changed: a VIP entry is reused whole when its configuration,
/// its backends marked down, its position and its first counter slot are as before and the settings
/// every entry depends on (router MAC, gue, the interface's own MAC) are unchanged; a Maglev table is
/// reused whenever its inputs were seen (see <see cref="MaglevTableCache"/>).
///
/// Reuse never depends on which snapshot was published: every entry is checked against the inputs it
/// was built from, so a build whose change was refused afterwards leaves nothing wrong behind. Entries
/// and tables are immutable; the snapshots sharing them never write them. One builder at a time.
/// </summary>
public sealed class SnapshotParts
{
    private ForwarderConfig? _settings;
    private byte[] _ownMac = [];
    private ConfiguredVip[] _vips = [];
    private VipTableInputs[] _inputs = [];
    private Dictionary<VipIdentity, QuicServerIds> _quic = [];

    public MaglevTableCache Tables { get; } = new();

    /// <summary>The source allow lists of the last build, shared by content.</summary>
    public SourceAllowListCache AllowLists { get; } = new();

    /// <summary>True when the settings besides the VIPs, and the interface's MAC, are those of the last build.</summary>
    internal bool SameSettings(ForwarderConfig config, ReadOnlySpan<byte> ownMac) =>
        _settings is not null && ownMac.SequenceEqual(_ownMac) && _settings == (config with { Vips = [] });

    /// <summary>
    /// The last build's entry at <paramref name="index"/> and its table inputs, when that entry was built from
    /// exactly <paramref name="vip"/> with the same backends down and its backends' counters starting at
    /// <paramref name="counterBase"/>.
    /// </summary>
    internal bool TryReuse(int index, VipConfig vip, int counterBase, IReadOnlySet<(VipIdentity Vip, BackendId Backend)>? down,
        out ConfiguredVip entry, out VipTableInputs inputs)
    {
        entry = null!;
        inputs = null!;
        if (index >= _vips.Length)
            return false;
        ConfiguredVip last = _vips[index];
        BackendEntry[] backends = last.Entry.Backends;
        if (!last.Config.Equals(vip) || (backends.Length > 0 && backends[0].CounterIndex != counterBase))
            return false;
        var identity = VipIdentity.Of(vip);
        for (int b = 0; b < backends.Length; b++)
        {
            bool isDown = down is not null && down.Contains((identity, last.Backends[b].Id));
            if (backends[b].Down != isDown)
                return false;
        }
        entry = last;
        inputs = _inputs[index];
        return true;
    }

    internal void Remember(ForwarderConfig config, ReadOnlySpan<byte> ownMac, ConfiguredVip[] vips, VipTableInputs[] inputs)
    {
        _settings = config with { Vips = [] };
        _ownMac = ownMac.ToArray();
        _vips = vips;
        _inputs = inputs;
        _quic = vips.Where(v => v.Entry.Quic is not null).ToDictionary(v => VipIdentity.Of(v.Config), v => v.Entry.Quic!);
    }

    /// <summary>The last build's server-id table of the quic VIP named <paramref name="identity"/>: its ids retire, not vanish.</summary>
    internal QuicServerIds? LastQuic(VipIdentity identity) => _quic.GetValueOrDefault(identity);
}
