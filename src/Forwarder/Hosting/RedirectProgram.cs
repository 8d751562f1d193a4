using AfXdp;
using Forwarder.ControlPlane;

namespace Forwarder.Hosting;

/// <summary>
/// bpf/redirect.c loaded: the VIP map that decides what reaches user space, the XSKMAP that says
/// which socket serves each queue, and the program's counters.
/// </summary>
public sealed class RedirectProgram : IDisposable, ISteeringMaps
{
    /// <summary>The program's name as the kernel reports it (BPF object names are cut to 15 characters).</summary>
    public const string KernelName = "xdp_redirect_vi";
    private const string ProgramName = "xdp_redirect_vip";

    private readonly XdpProgram _program;
    private readonly BpfMap _vips;
    private readonly BpfMap _natSources;
    private readonly BpfMap _sockets;
    private readonly BpfMap _counters;

    private RedirectProgram(XdpProgram program)
    {
        _program = program;
        _vips = program.GetMap("vips");
        _natSources = program.GetMap("nat_sources");
        _sockets = program.GetMap("xsks_map");
        _counters = program.GetMap("counters");
    }

    public static string DefaultObjectPath => Path.Combine(AppContext.BaseDirectory, "bpf", "redirect.o");

    public static RedirectProgram Load(string objectPath) => new(XdpProgram.Load(objectPath, ProgramName));

    public void AddVip(VipSpec vip)
    {
        foreach (VipMapKey key in vip.MapKeys())
            _vips.Update(key, 1u);
    }

    public void AddVip(VipMapKey key) => _vips.Update(key, 1u);

    public void RemoveVip(VipMapKey key) => _vips.Delete(key);

    /// <summary>Steers the replies of a nat backend (matched by source) to the sockets.</summary>
    public void AddNatSource(VipMapKey source) => _natSources.Update(source, 1u);

    public void RemoveNatSource(VipMapKey source) => _natSources.Delete(source);

    public void RegisterSocket(int queue, XskSocket socket) => _sockets.Update((uint)queue, (uint)socket.Fd);

    public void Attach(int ifindex, XdpMode mode, AttachedProgram? replacing) => _program.Attach(ifindex, mode, replacing);

    public RedirectCounters ReadCounters() => new(
        _counters.SumPerCpu(0), _counters.SumPerCpu(1), _counters.SumPerCpu(2), _counters.SumPerCpu(3), _counters.SumPerCpu(4));

    public void Dispose() => _program.Dispose();
}
