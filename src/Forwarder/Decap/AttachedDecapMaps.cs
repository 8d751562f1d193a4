using AfXdp;

namespace Forwarder.Decap;

/// <summary>
/// The maps of a decap program already attached by an earlier process, reached through the
/// program itself (its map ids): nothing is pinned, so there is no state on bpffs to go stale
/// and same-named interfaces of different network namespaces never meet.
/// </summary>
internal sealed unsafe class AttachedDecapMaps : IDisposable
{
    private readonly Dictionary<string, int> _fds;

    private AttachedDecapMaps(Dictionary<string, int> fds) => _fds = fds;

    public static AttachedDecapMaps Open(InterfaceXdpProgram program)
    {
        var fds = new Dictionary<string, int>();
        try
        {
            XdpAttachments.WithProgramFd(program, programFd =>
            {
                foreach (uint id in BpfObjectInfo.ProgramMapIds(programFd))
                {
                    int fd = DecapInterop.BpfMapGetFdById(id);
                    XdpException.ThrowIfNegative(fd, "bpf_map_get_fd_by_id", $"map {id} of program {program.Id}");
                    string name = BpfObjectInfo.MapName(fd);
                    if (!fds.TryAdd(name, fd))
                        DecapInterop.Close(fd);
                }
            });
            var maps = new AttachedDecapMaps(fds);
            foreach (string name in DecapProgram.MapNames)
            {
                if (!fds.ContainsKey(name))
                    throw new InvalidOperationException($"program {program.Id} ({program.Name}) has no '{name}' map: it is not this version's decap program");
            }
            return maps;
        }
        catch
        {
            foreach (int fd in fds.Values)
                DecapInterop.Close(fd);
            throw;
        }
    }

    public DecapSettings ReadSettings()
    {
        uint key = 0;
        DecapSettings settings = default;
        XdpException.ThrowIfNegative(DecapInterop.BpfMapLookupElem(_fds[DecapProgram.ConfigMap], &key, &settings), "bpf_map_lookup_elem", DecapProgram.ConfigMap);
        return settings;
    }

    public IReadOnlyList<System.Net.IPAddress> ReadDestinations()
    {
        int fd = _fds[DecapProgram.DestinationsMap];
        var addresses = new List<System.Net.IPAddress>();
        DecapDestinationKey current = default, next = default;
        int result = DecapInterop.BpfMapGetNextKey(fd, null, &next);
        for (int i = 0; result == 0 && i < DecapProgram.MaxDestinations; i++)
        {
            addresses.Add(next.ToAddress());
            current = next;
            result = DecapInterop.BpfMapGetNextKey(fd, &current, &next);
        }
        return addresses;
    }

    public DecapCounters ReadCounters() => new(
        Sum(DecapCounterSlot.DecapsulatedIpip), Sum(DecapCounterSlot.DecapsulatedGue), Sum(DecapCounterSlot.NotAccepted),
        Sum(DecapCounterSlot.Unsupported), Sum(DecapCounterSlot.Passed), Sum(DecapCounterSlot.Malformed));

    private ulong Sum(DecapCounterSlot slot)
    {
        int cpus = DecapInterop.LibbpfNumPossibleCpus();
        XdpException.ThrowIfNegative(cpus, "libbpf_num_possible_cpus");
        ulong* values = stackalloc ulong[cpus];
        uint key = (uint)slot;
        XdpException.ThrowIfNegative(DecapInterop.BpfMapLookupElem(_fds[DecapProgram.CountersMap], &key, values), "bpf_map_lookup_elem", DecapProgram.CountersMap);
        ulong sum = 0;
        for (int i = 0; i < cpus; i++)
            sum += values[i];
        return sum;
    }

    public void Dispose()
    {
        foreach (int fd in _fds.Values)
            DecapInterop.Close(fd);
        _fds.Clear();
    }
}
