using Forwarder.Configuration;

namespace Forwarder.Health.ViaVip;

/// <summary>
/// Keeps the probe marks and the attached <see cref="VipProbeProgram"/> in line with the configuration: every
/// <c>via: vip</c> route gets a mark and an entry, removed routes lose both. The program is attached on the first
/// configuration with such a route and stays until <see cref="Dispose"/>. When it cannot be attached, the reason
/// is what every via-vip probe reports (they are not sent, and their backends go down) and the next
/// configuration change tries again.
/// </summary>
public sealed class VipProbeSteering(Func<VipProbeProgram> attach) : IProbeMarks, IDisposable
{
    private readonly object _gate = new();
    private readonly ProbeMarkTable _marks = new();
    private VipProbeProgram? _program;
    private volatile string? _unavailable;

    /// <summary>The program, once attached.</summary>
    public VipProbeProgram? Program => _program;

    /// <summary>Why via-vip probes cannot be sent; null when they can (or none is configured).</summary>
    public string? Unavailable => _unavailable;

    /// <summary>The marks as of now.</summary>
    public IReadOnlyDictionary<ProbeRoute, uint> Marks => _marks.Current;

    public uint? MarkOf(ProbeRoute route, out string unavailable)
    {
        unavailable = _unavailable ?? $"no probe mark for {route}";
        return _unavailable is null && _marks.Current.TryGetValue(route, out uint mark) ? mark : null;
    }

    /// <summary>Marks and entries for exactly the via-vip routes of <paramref name="config"/>. Never throws.</summary>
    public void Update(ForwarderConfig config)
    {
        IReadOnlyList<ProbeRoute> routes = HealthTargets.RoutesOf(config);
        lock (_gate)
        {
            try
            {
                if (_program is null && routes.Count == 0)
                    return;
                _program ??= attach();
                IReadOnlyList<uint> released = _marks.Assign(routes);
                foreach ((ProbeRoute route, uint mark) in _marks.Current)
                    _program.Set(mark, ProbeTargetEntry.For(route, config.Gue.Port));
                foreach (uint mark in released)
                    _program.Remove(mark);
                _unavailable = null;
            }
            catch (Exception e)
            {
                _unavailable = $"via: vip probes cannot be sent: {e.Message}";
            }
        }
    }

    /// <summary>The attached program's counters; null before it is attached or when they cannot be read.</summary>
    public ProbeCounters? ReadCounters()
    {
        lock (_gate)
        {
            if (_program is not { } program)
                return null;
            try
            {
                return new ProbeCounters(Enum.GetValues<ProbeCounterSlot>().ToDictionary(slot => slot, program.Counter));
            }
            catch (Exception)
            {
                return null;
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _program?.Dispose();
            _program = null;
            _unavailable = "stopped";
        }
    }
}
