using AfXdp;

namespace Forwarder.Health.ViaVip;

/// <summary>
/// bpf/healthcheck.c loaded and attached as a tc egress filter on the forwarder's interface (clsact, at
/// <see cref="Handle"/> and <see cref="Priority"/>): attaching replaces a filter a killed instance left there;
/// Dispose detaches it and unloads the program. Loading and attaching need CAP_BPF and CAP_NET_ADMIN, which the
/// forwarder keeps after its capability drop.
/// </summary>
public sealed class VipProbeProgram : IDisposable
{
    public const string ProgramName = "healthcheck_egress";
    public const string TargetsMap = "probe_targets";
    public const string CountersMap = "probe_counters";

    /// <summary>The filter's handle ("LB") and priority: fixed, so that a restart finds and replaces its predecessor's.</summary>
    public const uint Handle = 0x4C42, Priority = 1;

    private readonly XdpProgram _program;
    private readonly BpfMap _targets;
    private readonly BpfMap _counters;
    private bool _attached;

    private VipProbeProgram(XdpProgram program, TcFilter filter)
    {
        _program = program;
        Filter = filter;
        _targets = program.GetMap(TargetsMap);
        _counters = program.GetMap(CountersMap);
    }

    public static string DefaultObjectPath => Path.Combine(AppContext.BaseDirectory, "bpf", "healthcheck.o");

    /// <summary>Where the program is attached.</summary>
    public TcFilter Filter { get; }

    /// <summary>Loads <paramref name="objectPath"/> and attaches it to the egress of <paramref name="ifindex"/>.</summary>
    public static VipProbeProgram Attach(int ifindex, string? objectPath = null)
    {
        XdpProgram program = XdpProgram.Load(objectPath ?? DefaultObjectPath, ProgramName);
        try
        {
            var attached = new VipProbeProgram(program, new TcFilter(ifindex, TcDirection.Egress, Handle, Priority));
            attached.Filter.Attach(program.ProgramFd);
            attached._attached = true;
            return attached;
        }
        catch
        {
            program.Dispose();
            throw;
        }
    }

    /// <summary>Sends packets marked <paramref name="mark"/> as <paramref name="entry"/> says.</summary>
    public void Set(uint mark, in ProbeTargetEntry entry) => _targets.Update(mark, entry);

    /// <summary>Forgets <paramref name="mark"/>: its packets are dropped from now on (counted as no_target).</summary>
    public void Remove(uint mark) => _targets.Delete(mark);

    /// <summary>The marks that have an entry.</summary>
    public IReadOnlyList<uint> Marks() => _targets.Keys<uint>(ProbeMarkTable.Capacity + 1);

    /// <summary>A counter of the program, summed over CPUs.</summary>
    public ulong Counter(ProbeCounterSlot slot) => _counters.SumPerCpu((uint)slot);

    public void Dispose()
    {
        try
        {
            if (_attached)
                Filter.Detach();
            _attached = false;
        }
        finally
        {
            _program.Dispose();
        }
    }
}
