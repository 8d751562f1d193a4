using AfXdp;

namespace Forwarder.Decap;

/// <summary>
/// Attaching, replacing and detaching XDP programs by id, across processes: the program stays on
/// the interface after the process that attached it exits (the attachment holds it), and a later
/// process removes exactly that program and nothing that replaced it meanwhile.
/// </summary>
internal static unsafe class XdpAttachments
{
    /// <summary>The programs attached to an interface, one per mode in use (none, one, or native and skb both).</summary>
    public static IReadOnlyList<InterfaceXdpProgram> Query(int ifindex)
    {
        var options = new DecapInterop.QueryOptions { Size = (nuint)sizeof(DecapInterop.QueryOptions) };
        XdpException.ThrowIfNegative(DecapInterop.BpfXdpQuery(ifindex, 0, &options), "bpf_xdp_query", $"ifindex {ifindex}");
        var programs = new List<InterfaceXdpProgram>();
        if (options.DriverProgramId != 0)
            programs.Add(Describe(options.DriverProgramId, XdpMode.Native));
        if (options.SkbProgramId != 0)
            programs.Add(Describe(options.SkbProgramId, XdpMode.Skb));
        return programs;
    }

    /// <summary>Attaches <paramref name="programFd"/>; with <paramref name="replacing"/>, only in its place (same mode), in one step.</summary>
    public static void Attach(int ifindex, int programFd, XdpMode mode, InterfaceXdpProgram? replacing)
    {
        if (replacing is null)
        {
            XdpException.ThrowIfNegative(
                DecapInterop.BpfXdpAttach(ifindex, programFd, ModeFlags(mode) | DecapInterop.XdpFlagsUpdateIfNoExist, null),
                "bpf_xdp_attach", $"ifindex {ifindex}, {mode} mode");
            return;
        }
        WithProgramFd(replacing, oldFd =>
        {
            var options = new DecapInterop.AttachOptions { Size = (nuint)sizeof(DecapInterop.AttachOptions), OldProgramFd = oldFd };
            XdpException.ThrowIfNegative(
                DecapInterop.BpfXdpAttach(ifindex, programFd, ModeFlags(mode) | DecapInterop.XdpFlagsReplace, &options),
                "bpf_xdp_attach", $"ifindex {ifindex}, {mode} mode, replacing program {replacing.Id}");
        });
    }

    /// <summary>Detaches <paramref name="program"/>, and only it: the kernel refuses if another program took its place.</summary>
    public static void Detach(int ifindex, InterfaceXdpProgram program) =>
        WithProgramFd(program, oldFd =>
        {
            var options = new DecapInterop.AttachOptions { Size = (nuint)sizeof(DecapInterop.AttachOptions), OldProgramFd = oldFd };
            XdpException.ThrowIfNegative(
                DecapInterop.BpfXdpAttach(ifindex, -1, ModeFlags(program.Mode) | DecapInterop.XdpFlagsReplace, &options),
                "bpf_xdp_detach", $"ifindex {ifindex}, program {program.Id}");
        });

    /// <summary>Runs <paramref name="action"/> with a file descriptor of the program, closed afterwards.</summary>
    public static void WithProgramFd(InterfaceXdpProgram program, Action<int> action)
    {
        int fd = DecapInterop.BpfProgGetFdById(program.Id);
        XdpException.ThrowIfNegative(fd, "bpf_prog_get_fd_by_id", $"program {program.Id}");
        try
        {
            action(fd);
        }
        finally
        {
            DecapInterop.Close(fd);
        }
    }

    private static InterfaceXdpProgram Describe(uint id, XdpMode mode)
    {
        int fd = DecapInterop.BpfProgGetFdById(id);
        if (fd < 0)
            return new InterfaceXdpProgram(id, "", mode); // unloaded between the query and now
        try
        {
            return new InterfaceXdpProgram(id, BpfObjectInfo.ProgramName(fd), mode);
        }
        finally
        {
            DecapInterop.Close(fd);
        }
    }

    private static uint ModeFlags(XdpMode mode) => mode == XdpMode.Skb ? DecapInterop.XdpFlagsSkbMode : DecapInterop.XdpFlagsDriverMode;
}
