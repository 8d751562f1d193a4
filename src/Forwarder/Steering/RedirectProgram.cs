using System.Net;
using AfXdp;

namespace Forwarder.Steering;

/// <summary>
/// bpf/redirect.c loaded: the VIP table that decides what reaches user space, the nat backends whose replies
/// are steered too (both written through <see cref="SteeringTables"/>), the host's own addresses (never a reply's
/// destination), the XSKMAP that says which socket serves each queue, and the program's counters.
/// </summary>
public sealed class RedirectProgram : IDisposable, ISteeringMaps, HostAddresses.IHostAddressMap
{
    /// <summary>The program's name as the kernel reports it (BPF object names are cut to 15 characters).</summary>
    public const string KernelName = "xdp_redirect_vi";
    private const string ProgramName = "xdp_redirect_vip";
    private const string VipTableMap = "vip_table", NatTableMap = "nat_table", FilterMap = "addr_filter", ControlMap = "steer_ctl",
        HostAddressesMap = "host_addrs", SocketsMap = "xsks_map", CountersMap = "counters";

    /// <summary>The program's maps, by name (all handed over across the re-exec after the privilege drop and to an upgrade's successor).</summary>
    public static readonly IReadOnlyList<string> MapNames = [VipTableMap, NatTableMap, FilterMap, ControlMap, HostAddressesMap, SocketsMap, CountersMap];

    /// <summary>
    /// Each map as redirect.c declares it: what a handed-over program must have for this binary to adopt it. A program
    /// loaded by a forwarder of another map layout (e.g. one with the hash maps <c>vips</c> and <c>nat_sources</c>) is refused.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, BpfMapShape> MapShapes = new Dictionary<string, BpfMapShape>
    {
        [VipTableMap] = new(BpfMapShape.Array, 4, 32, 2 * SteeringTableLayout.MaxSlots),
        [NatTableMap] = new(BpfMapShape.Array, 4, 32, 2 * SteeringTableLayout.MaxSlots),
        [FilterMap] = new(BpfMapShape.Array, 4, 8, 3 * AddressFilter.Words),
        [ControlMap] = new(BpfMapShape.Array, 4, 72, 1),
        [HostAddressesMap] = new(BpfMapShape.Hash, 20, 4, 4096),
        [SocketsMap] = new(BpfMapShape.XskMap, 4, 4, 256),
        [CountersMap] = new(BpfMapShape.PerCpuArray, 4, 8, 6),
    };

    private readonly XdpProgram _program;
    private readonly SteeringTables _tables;
    private readonly BpfMap _hostAddresses;
    private readonly HostAddressBits _hostAddressBits;
    private readonly BpfMap _sockets;
    private readonly BpfMap _counters;
    private readonly HashSet<VipMapKey> _vips = [];
    private readonly HashSet<VipMapKey> _natSources = [];
    private bool _changed;

    private RedirectProgram(XdpProgram program)
    {
        _program = program;
        _tables = new SteeringTables(program.GetMap(VipTableMap), program.GetMap(NatTableMap), program.GetMap(FilterMap), program.GetMap(ControlMap));
        _hostAddresses = program.GetMap(HostAddressesMap);
        _hostAddressBits = new HostAddressBits(program.GetMap(FilterMap));
        _sockets = program.GetMap(SocketsMap);
        _counters = program.GetMap(CountersMap);
    }

    public static string DefaultObjectPath => Path.Combine(AppContext.BaseDirectory, "bpf", "redirect.o");

    public static RedirectProgram Load(string objectPath) => new(XdpProgram.Load(objectPath, ProgramName));

    /// <summary>The program and maps a privileged predecessor (or an upgrade's predecessor) loaded and handed over as descriptors.</summary>
    /// <exception cref="InvalidOperationException">The maps are not this binary's layout (<see cref="LayoutMismatch"/>); nothing is taken.</exception>
    public static RedirectProgram Adopt(int programFd, IReadOnlyDictionary<string, int> mapFds)
    {
        if (LayoutMismatch(mapFds) is { } mismatch)
            throw new InvalidOperationException(
                $"the XDP program handed over was loaded by a forwarder with other steering maps ({mismatch}): this binary cannot adopt it. "
                + "Stop the running forwarder and start this one instead (a start replaces a program left attached), or upgrade between binaries of one map layout");
        return new(XdpProgram.FromDescriptors(programFd, ProgramName, mapFds));
    }

    /// <summary>What keeps the maps behind <paramref name="mapFds"/> from being this binary's (a map missing, or of another shape); null when they are.</summary>
    public static string? LayoutMismatch(IReadOnlyDictionary<string, int> mapFds)
    {
        foreach ((string name, BpfMapShape expected) in MapShapes)
        {
            if (!mapFds.TryGetValue(name, out int fd))
                return $"no map '{name}'; it has {string.Join(", ", mapFds.Keys.Order(StringComparer.Ordinal))}";
            BpfMapShape actual = BpfMap.Open(name, fd).Shape();
            if (actual != expected)
                return $"map '{name}' is {actual}, this binary's is {expected}";
        }
        return null;
    }

    public int ProgramFd => _program.ProgramFd;

    public int MapFd(string name) => _program.GetMap(name).Fd;

    /// <summary>Steers a VIP given on the command line (no configuration file).</summary>
    public void AddVip(VipSpec vip)
    {
        foreach (VipMapKey key in vip.MapKeys())
            AddVip(key);
        Flush();
    }

    public void AddVip(VipMapKey key) => _changed |= _vips.Add(key);

    public void RemoveVip(VipMapKey key) => _changed |= _vips.Remove(key);

    /// <summary>Steers the replies of a nat backend (matched by source) to the sockets.</summary>
    public void AddNatSource(VipMapKey source) => _changed |= _natSources.Add(source);

    public void RemoveNatSource(VipMapKey source) => _changed |= _natSources.Remove(source);

    /// <summary>Writes the VIP and nat backend keys added and removed since the last flush into the program's tables, switched in at once.</summary>
    /// <exception cref="InvalidOperationException">A table cannot hold its keys; the program's tables are unchanged.</exception>
    public void Flush()
    {
        if (!_changed)
            return;
        _tables.Steer(_vips, _natSources);
        _changed = false;
    }

    /// <summary>Packets from nat backends to this address (an address-level key) go to the kernel.</summary>
    public void AddHostAddress(IPAddress address)
    {
        _hostAddresses.Update(VipMapKey.ForAddress(address), 1u);
        _hostAddressBits.Add(address);
    }

    public void RemoveHostAddress(IPAddress address)
    {
        _hostAddressBits.Remove(address);
        _hostAddresses.Delete(VipMapKey.ForAddress(address));
    }

    public void RegisterSocket(int queue, XskSocket socket) => _sockets.Update((uint)queue, (uint)socket.Fd);

    public void Attach(int ifindex, XdpMode mode, AttachedProgram? replacing) => _program.Attach(ifindex, mode, replacing);

    public RedirectCounters ReadCounters()
    {
        ulong redirected = _counters.SumPerCpu(1), passed = _counters.SumPerCpu(2), malformed = _counters.SumPerCpu(3);
        ulong noSocket = _counters.SumPerCpu(4), hostPassed = _counters.SumPerCpu(5);
        // Every frame counts in exactly one outcome's slot (redirect.c's enum counter); slot 0 is unused.
        return new(redirected + passed + malformed + noSocket + hostPassed, redirected, passed, malformed, noSocket, hostPassed);
    }

    /// <summary>Takes on the attachment an upgrade's predecessor made of this same program: disposing detaches it.</summary>
    public void TakeAttachment(int ifindex, XdpMode mode) => _program.TakeAttachment(ifindex, mode);

    public void Dispose() => _program.Dispose();
}
