using AfXdp.Interop;

namespace AfXdp;

/// <summary>
/// A BPF program as a direct-action tc filter on an interface's clsact qdisc: one filter, named by its
/// <see cref="Handle"/> and <see cref="Priority"/> in one <see cref="Direction"/>. The program comes from
/// <see cref="XdpProgram.Load"/> (libbpf takes its type, <c>SEC("tc")</c>, from the object). Attaching replaces
/// whatever filter sits at the same handle and priority (e.g. one a killed process left behind), so a fixed
/// handle and priority make start-up idempotent. Needs CAP_NET_ADMIN (and CAP_BPF / CAP_SYS_ADMIN to load).
/// </summary>
public sealed unsafe record TcFilter(int Ifindex, TcDirection Direction, uint Handle, uint Priority)
{
    /// <summary>
    /// Adds the interface's clsact qdisc if it has none, then puts <paramref name="programFd"/> at this filter's
    /// handle and priority, replacing what was there. Returns the id the kernel gives the attached program.
    /// </summary>
    public uint Attach(int programFd)
    {
        LibBpf.TcHook hook = Hook();
        int created = LibBpf.BpfTcHookCreate(&hook);
        if (created < 0 && -created != Errnos.EEXIST)
            throw new XdpException("bpf_tc_hook_create", -created, $"clsact on ifindex {Ifindex}");
        LibBpf.TcOptions options = Options();
        options.ProgramFd = programFd;
        options.Flags = LibBpf.TcReplace;
        XdpException.ThrowIfNegative(LibBpf.BpfTcAttach(&hook, &options), "bpf_tc_attach", Describe());
        return options.ProgramId;
    }

    /// <summary>Removes this filter; false when there was none. The clsact qdisc stays (other filters may use it).</summary>
    public bool Detach()
    {
        LibBpf.TcHook hook = Hook();
        LibBpf.TcOptions options = Options();
        int result = LibBpf.BpfTcDetach(&hook, &options);
        if ((-result is Errnos.ENOENT or Errnos.ENODEV or Errnos.EINVAL) && QueryProgramId() is null)
            return false;
        XdpException.ThrowIfNegative(result, "bpf_tc_detach", Describe());
        return true;
    }

    /// <summary>The id of the program attached as this filter, or null when there is none (or no clsact qdisc).</summary>
    public uint? QueryProgramId()
    {
        LibBpf.TcHook hook = Hook();
        LibBpf.TcOptions options = Options();
        int result = LibBpf.BpfTcQuery(&hook, &options);
        if (result < 0)
            return -result is Errnos.ENOENT or Errnos.ENODEV or Errnos.EINVAL ? null : throw new XdpException("bpf_tc_query", -result, Describe());
        return options.ProgramId;
    }

    /// <summary>As operators read it: <c>tc egress filter handle 0x1 priority 1 on ifindex 3</c>.</summary>
    public string Describe() => $"tc {Direction.ToString().ToLowerInvariant()} filter handle 0x{Handle:x} priority {Priority} on ifindex {Ifindex}";

    private LibBpf.TcHook Hook() => new() { Size = (nuint)sizeof(LibBpf.TcHook), Ifindex = Ifindex, AttachPoint = (int)Direction };

    private LibBpf.TcOptions Options() => new() { Size = (nuint)sizeof(LibBpf.TcOptions), Handle = Handle, Priority = Priority };
}
