using System.Net;
using AfXdp;

namespace Forwarder.Steering;

/// <summary>
/// bpf/redirect.c loaded: the VIP map that decides what reaches user space, the nat backends whose replies
/// are steered too, the host's own addresses (never a reply's destination), the XSKMAP that says which socket
/// serves each queue, and the program's counters.
/// </summary>
public sealed class RedirectProgram : IDisposable, ISteeringMaps, HostAddresses.IHostAddressMap
{
    /// <summary>The program's name as the kernel reports it (BPF object names are cut to 15 characters).</summary>
    public const string KernelName = "xdp_redirect_vi";
    private const string ProgramName = "xdp_redirect_vip";
    private const string VipsMap = "vips", NatSourcesMap = "nat_sources", HostAddressesMap = "host_addrs", SocketsMap = "xsks_map", CountersMap = "counters";

    /// <summary>The program's maps, by name (all handed over across the re-exec after the privilege drop).</summary>
    public static readonly IReadOnlyList<string> MapNames = [VipsMap, NatSourcesMap, HostAddressesMap, SocketsMap, CountersMap];

    private readonly XdpProgram _program;
    private readonly BpfMap _vips;
    private readonly BpfMap _natSources;
    private readonly BpfMap _hostAddresses;
    private readonly BpfMap _sockets;
    private readonly BpfMap _counters;

    private RedirectProgram(XdpProgram program)
    {
        _program = program;
        _vips = program.GetMap(VipsMap);
        _natSources = program.GetMap(NatSourcesMap);
        _hostAddresses = program.GetMap(HostAddressesMap);
        _sockets = program.GetMap(SocketsMap);
        _counters = program.GetMap(CountersMap);
    }

    public static string DefaultObjectPath => Path.Combine(AppContext.BaseDirectory, "bpf", "redirect.o");

    public static RedirectProgram Load(string objectPath) => new(XdpProgram.Load(objectPath, ProgramName));

    /// <summary>The program and maps a privileged predecessor loaded and handed over as descriptors.</summary>
    public static RedirectProgram Adopt(int programFd, IReadOnlyDictionary<string, int> mapFds) =>
        new(XdpProgram.FromDescriptors(programFd, ProgramName, mapFds));

    public int ProgramFd => _program.ProgramFd;

    public int MapFd(string name) => _program.GetMap(name).Fd;

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

    /// <summary>Packets from nat backends to this address (an address-level key) go to the kernel.</summary>
    public void AddHostAddress(IPAddress address) => _hostAddresses.Update(VipMapKey.ForAddress(address), 1u);

    public void RemoveHostAddress(IPAddress address) => _hostAddresses.Delete(VipMapKey.ForAddress(address));

    public void RegisterSocket(int queue, XskSocket socket) => _sockets.Update((uint)queue, (uint)socket.Fd);

    public void Attach(int ifindex, XdpMode mode, AttachedProgram? replacing) => _program.Attach(ifindex, mode, replacing);

    public RedirectCounters ReadCounters() => new(
        _counters.SumPerCpu(0), _counters.SumPerCpu(1), _counters.SumPerCpu(2), _counters.SumPerCpu(3), _counters.SumPerCpu(4), _counters.SumPerCpu(5));

    /// <summary>Takes on the attachment an upgrade's predecessor made of this same program: disposing detaches it.</summary>
    public void TakeAttachment(int ifindex, XdpMode mode) => _program.TakeAttachment(ifindex, mode);

    public void Dispose() => _program.Dispose();
}
