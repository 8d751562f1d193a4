using AfXdp.Interop;

namespace AfXdp;

/// <summary>A BPF map of a loaded <see cref="XdpProgram"/>, updated from user space (set-up and control plane only).</summary>
public sealed unsafe class BpfMap
{
    internal BpfMap(string name, int fd)
    {
        Name = name;
        Fd = fd;
    }

    /// <summary>A map known only by a descriptor (e.g. one handed over); the caller keeps owning <paramref name="fd"/>.</summary>
    public static BpfMap Open(string name, int fd) => new(name, fd);

    /// <summary>The map's name, as its program names it.</summary>
    public string Name { get; }

    /// <summary>The descriptor the owning <see cref="XdpProgram"/> holds (and closes).</summary>
    public int Fd { get; }

    /// <summary>What the kernel says the map is: its type, key and value sizes, and entries.</summary>
    public BpfMapShape Shape()
    {
        byte* info = stackalloc byte[BpfObjectInfo.Bytes];
        BpfObjectInfo.Read(Fd, info, $"map {Name}");
        return BpfObjectInfo.MapShape(info);
    }

    /// <summary>Sets <paramref name="key"/> to <paramref name="value"/>, adding the key if it is new.</summary>
    public void Update<TKey, TValue>(in TKey key, in TValue value) where TKey : unmanaged where TValue : unmanaged
    {
        TKey k = key;
        TValue v = value;
        XdpException.ThrowIfNegative(LibBpf.BpfMapUpdateElem(Fd, &k, &v, 0), "bpf_map_update_elem", Name);
    }

    /// <summary>Removes a key; returns false when it was not there.</summary>
    public bool Delete<TKey>(in TKey key) where TKey : unmanaged
    {
        TKey k = key;
        int result = LibBpf.BpfMapDeleteElem(Fd, &k);
        if (result == -Errnos.ENOENT)
            return false;
        XdpException.ThrowIfNegative(result, "bpf_map_delete_elem", Name);
        return true;
    }

    /// <summary>The value of <paramref name="key"/>; throws when the map has none (ENOENT) or cannot be read.</summary>
    public TValue Lookup<TKey, TValue>(in TKey key) where TKey : unmanaged where TValue : unmanaged
    {
        TKey k = key;
        TValue v = default;
        XdpException.ThrowIfNegative(LibBpf.BpfMapLookupElem(Fd, &k, &v), "bpf_map_lookup_elem", Name);
        return v;
    }

    /// <summary>
    /// The keys of a hash map, at most <paramref name="limit"/> of them: the walk stops there even if the map is
    /// changed meanwhile (a deleted key makes the kernel start over from the first).
    /// </summary>
    public List<TKey> Keys<TKey>(int limit = int.MaxValue) where TKey : unmanaged
    {
        var keys = new List<TKey>();
        TKey current = default, next = default;
        int result = LibBpf.BpfMapGetNextKey(Fd, null, &next);
        while (result == 0 && keys.Count < limit)
        {
            keys.Add(next);
            current = next;
            result = LibBpf.BpfMapGetNextKey(Fd, &current, &next);
        }
        return keys;
    }

    /// <summary>The sum over all CPUs of a per-CPU array slot of 64-bit counters.</summary>
    public ulong SumPerCpu(uint slot)
    {
        int cpus = LibBpf.LibbpfNumPossibleCpus();
        if (cpus <= 0)
            throw new XdpException("libbpf_num_possible_cpus", -cpus);
        ulong* values = stackalloc ulong[cpus];
        XdpException.ThrowIfNegative(LibBpf.BpfMapLookupElem(Fd, &slot, values), "bpf_map_lookup_elem", Name);
        ulong sum = 0;
        for (int i = 0; i < cpus; i++)
            sum += values[i];
        return sum;
    }
}
