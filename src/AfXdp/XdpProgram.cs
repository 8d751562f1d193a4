using System.Runtime.InteropServices;
using AfXdp.Interop;

namespace AfXdp;

/// <summary>The XDP program attached to an interface right now, as the kernel reports it.</summary>
public sealed record AttachedProgram(uint Id, string Name)
{
    /// <summary>
    /// A descriptor of the program this process already holds (-1: none). With one, replacing the program
    /// does not have to look it up by id, which takes CAP_SYS_ADMIN.
    /// </summary>
    public int Fd { get; init; } = -1;
}

/// <summary>
/// A BPF object file loaded through libbpf (or handed over as descriptors by the process that loaded it):
/// one XDP program and its maps. Attach puts it on an interface; Dispose detaches it (only if it is still
/// the attached program) and unloads it.
/// </summary>
public sealed unsafe class XdpProgram : IDisposable
{
    /// <summary>The kernel keeps this many bytes of a program's or map's name, the terminating zero included.</summary>
    private const int ObjectNameBytes = 16;
    private const uint ProgramTypeXdp = 6;

    private nint _object;
    private Dictionary<string, int>? _handedOverMaps;
    private int _attachedIfindex;
    private XdpMode _attachedMode;

    private XdpProgram(nint obj, int programFd, string programName, Dictionary<string, int>? handedOverMaps = null)
    {
        _object = obj;
        ProgramFd = programFd;
        ProgramName = programName;
        _handedOverMaps = handedOverMaps;
    }

    static XdpProgram() => LibbpfLog.Install();

    /// <summary>
    /// Opens and loads <paramref name="objectPath"/> and finds <paramref name="programName"/> in it. libbpf takes each
    /// program's type from its section, so a tc program (<c>SEC("tc")</c>) loads here too and is attached with <see cref="TcFilter"/>.
    /// </summary>
    public static XdpProgram Load(string objectPath, string programName)
    {
        if (!File.Exists(objectPath))
            throw new FileNotFoundException($"XDP object file not found: {objectPath} (build it with ./run.sh build)", objectPath);
        nint obj = LibBpf.BpfObjectOpenFile(objectPath, 0);
        if (obj == 0)
            throw XdpException.FromLastError("bpf_object__open_file", objectPath);
        int result = LibBpf.BpfObjectLoad(obj);
        if (result < 0)
        {
            LibBpf.BpfObjectClose(obj);
            throw new XdpException("bpf_object__load", -result, $"{objectPath}: {LibbpfLog.LastMessages()}");
        }
        nint program = LibBpf.BpfObjectFindProgramByName(obj, programName);
        if (program == 0)
        {
            LibBpf.BpfObjectClose(obj);
            throw new XdpException("bpf_object__find_program_by_name", Errnos.ENOENT, $"{programName} in {objectPath}");
        }
        return new XdpProgram(obj, LibBpf.BpfProgramFd(program), programName);
    }

    /// <summary>
    /// Takes over a program and its maps that another process loaded and handed over as descriptors (an
    /// exec'd successor keeps its predecessor's descriptors). Checks that each descriptor is what its name
    /// says; the program owns them from here on.
    /// </summary>
    public static XdpProgram FromDescriptors(int programFd, string programName, IReadOnlyDictionary<string, int> mapFds)
    {
        byte* info = stackalloc byte[BpfObjectInfo.Bytes];
        BpfObjectInfo.Read(programFd, info, "program");
        string name = BpfObjectInfo.ProgramName(info);
        uint type = BpfObjectInfo.ProgramType(info);
        if (type != ProgramTypeXdp || name != KernelName(programName))
            throw new InvalidOperationException($"descriptor {programFd} is not the XDP program {programName} (it is '{name}', type {type})");
        foreach ((string mapName, int fd) in mapFds)
        {
            BpfObjectInfo.Read(fd, info, $"map {mapName}");
            string actual = BpfObjectInfo.MapName(info);
            if (actual != KernelName(mapName))
                throw new InvalidOperationException($"descriptor {fd} is not the map {mapName} (it is '{actual}')");
        }
        return new XdpProgram(0, programFd, programName, new Dictionary<string, int>(mapFds));
    }

    /// <summary>The id and name the kernel gives the program behind <paramref name="programFd"/>, which the result carries.</summary>
    public static AttachedProgram Describe(int programFd)
    {
        byte* info = stackalloc byte[BpfObjectInfo.Bytes];
        BpfObjectInfo.Read(programFd, info, "program");
        return new AttachedProgram(BpfObjectInfo.ProgramId(info), BpfObjectInfo.ProgramName(info)) { Fd = programFd };
    }

    /// <summary>
    /// Takes hold of the loaded program <paramref name="id"/> and of every map it uses, by id (CAP_SYS_ADMIN): e.g. a
    /// program another process attached and left behind, whose maps are then reached without pinning anything.
    /// Maps are found by name as with a loaded object; Dispose closes the descriptors and leaves the program loaded
    /// and attached.
    /// </summary>
    public static XdpProgram FromId(uint id)
    {
        int programFd = OpenById(id);
        var maps = new Dictionary<string, int>();
        try
        {
            byte* info = stackalloc byte[BpfObjectInfo.Bytes];
            BpfObjectInfo.Read(programFd, info, "program");
            string name = BpfObjectInfo.ProgramName(info);
            foreach (uint mapId in BpfObjectInfo.ProgramMapIds(programFd))
            {
                int fd = XdpException.ThrowIfNegative(LibBpf.BpfMapGetFdById(mapId), "bpf_map_get_fd_by_id", $"map {mapId} of program {id}");
                int read = BpfObjectInfo.TryRead(fd, info);
                if (read < 0 || !maps.TryAdd(BpfObjectInfo.MapName(info), fd))
                    LibC.Close(fd); // unreadable, or a second map of the same name
                XdpException.ThrowIfNegative(read, "bpf_obj_get_info_by_fd", $"map {mapId} (fd {fd})");
            }
            return new XdpProgram(0, programFd, name, maps);
        }
        catch
        {
            LibC.Close(programFd);
            foreach (int fd in maps.Values)
                LibC.Close(fd);
            throw;
        }
    }

    /// <summary>Opens a descriptor of the loaded program <paramref name="id"/> (CAP_SYS_ADMIN); the caller closes it.</summary>
    public static int OpenById(uint id)
    {
        int fd = LibBpf.BpfProgGetFdById(id);
        return fd >= 0 ? fd : throw XdpException.FromLastError("bpf_prog_get_fd_by_id", $"program {id}");
    }

    /// <summary>A name as the kernel keeps it: cut to 15 bytes.</summary>
    public static string KernelName(string name) => name.Length < ObjectNameBytes ? name : name[..(ObjectNameBytes - 1)];

    /// <summary>This process's descriptor of the program.</summary>
    public int ProgramFd { get; }

    /// <summary>The program's name: as asked for when loaded, as the kernel keeps it when taken by id.</summary>
    public string ProgramName { get; }

    /// <summary>The map <paramref name="name"/> of the program, or false when it has none of that name.</summary>
    public bool TryGetMap(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out BpfMap? map)
    {
        int fd = _handedOverMaps is not null
            ? _handedOverMaps.GetValueOrDefault(name, -1)
            : LibBpf.BpfObjectFindMapFdByName(_object, name);
        map = fd >= 0 ? new BpfMap(name, fd) : null;
        return map is not null;
    }

    /// <summary>The map <paramref name="name"/> of the program; throws when it has none of that name.</summary>
    public BpfMap GetMap(string name)
    {
        if (_handedOverMaps is not null)
            return _handedOverMaps.TryGetValue(name, out int handedOver) ? new BpfMap(name, handedOver) : throw new XdpException("map lookup", Errnos.ENOENT, name);
        int fd = LibBpf.BpfObjectFindMapFdByName(_object, name);
        return fd < 0 ? throw new XdpException("bpf_object__find_map_fd_by_name", -fd, name) : new BpfMap(name, fd);
    }

    /// <summary>Attaches to <paramref name="ifindex"/>, replacing <paramref name="replacing"/> atomically when given.</summary>
    public void Attach(int ifindex, XdpMode mode, AttachedProgram? replacing = null)
    {
        uint flags = (uint)ModeFlags(mode);
        if (replacing is null)
        {
            XdpException.ThrowIfNegative(LibBpf.BpfXdpAttach(ifindex, ProgramFd, flags | (uint)XdpAttachFlags.UpdateIfNoExist, 0),
                XdpException.AttachCall, $"ifindex {ifindex}, {mode} mode");
        }
        else
        {
            int oldFd = replacing.Fd >= 0 ? replacing.Fd : LibBpf.BpfProgGetFdById(replacing.Id);
            if (oldFd < 0)
                throw XdpException.FromLastError("bpf_prog_get_fd_by_id", $"program {replacing.Id}");
            try
            {
                var options = new AttachOptions { Size = (nuint)sizeof(AttachOptions), OldProgramFd = oldFd };
                XdpException.ThrowIfNegative(LibBpf.BpfXdpAttach(ifindex, ProgramFd, flags | (uint)XdpAttachFlags.Replace, (nint)(&options)),
                    XdpException.AttachCall, $"ifindex {ifindex}, {mode} mode, replacing program {replacing.Id} ({replacing.Name})");
            }
            finally
            {
                if (oldFd != replacing.Fd)
                    LibC.Close(oldFd);
            }
        }
        _attachedIfindex = ifindex;
        _attachedMode = mode;
    }

    /// <summary>
    /// Leaves the program attached when this handle is disposed: the attachment holds it after the process exits,
    /// and a later process detaches it by id (<see cref="Detach(int, XdpMode, AttachedProgram)"/>).
    /// </summary>
    public void LeaveAttached() => _attachedIfindex = 0;

    /// <summary>
    /// Takes on the attachment another process made of this same program (an upgrade's predecessor), so that disposing
    /// detaches it as if this handle had attached it.
    /// </summary>
    public void TakeAttachment(int ifindex, XdpMode mode)
    {
        _attachedIfindex = ifindex;
        _attachedMode = mode;
    }

    /// <summary>Detaches from the interface, but only if this program is still the one attached there.</summary>
    public void Detach()
    {
        if (_attachedIfindex == 0)
            return;
        int result = DetachIfAttached(_attachedIfindex, _attachedMode, ProgramFd);
        _attachedIfindex = 0;
        if (result < 0 && -result is not (Errnos.ENOENT or Errnos.ENODEV or Errnos.EEXIST))
            throw new XdpException("bpf_xdp_detach", -result);
    }

    /// <summary>
    /// Detaches <paramref name="expected"/> from the interface, and only it: the kernel refuses when another program
    /// took its place. Without a descriptor of it, it is opened by id (CAP_SYS_ADMIN).
    /// </summary>
    public static void Detach(int ifindex, XdpMode mode, AttachedProgram expected)
    {
        int fd = expected.Fd >= 0 ? expected.Fd : OpenById(expected.Id);
        try
        {
            XdpException.ThrowIfNegative(DetachIfAttached(ifindex, mode, fd), "bpf_xdp_detach", $"ifindex {ifindex}, program {expected.Id}");
        }
        finally
        {
            if (fd != expected.Fd)
                LibC.Close(fd);
        }
    }

    /// <summary>
    /// The program attached to an interface in any mode, or null. Its name is read through its id (CAP_SYS_ADMIN);
    /// without that it is empty, unless it is <paramref name="known"/>, a program this process holds a descriptor of.
    /// </summary>
    public static AttachedProgram? QueryAttached(int ifindex, AttachedProgram? known = null)
    {
        if (LibBpf.BpfXdpQueryId(ifindex, 0, out uint id) < 0 || id == 0)
            return null;
        return known is not null && known.Id == id ? known : new AttachedProgram(id, NameOf(id));
    }

    /// <summary>
    /// The program attached to an interface in <paramref name="mode"/>, or null (an interface can have one in each
    /// mode). Its name is read through its id (CAP_SYS_ADMIN); without that it is empty. Throws when the interface
    /// cannot be asked.
    /// </summary>
    public static AttachedProgram? QueryAttached(int ifindex, XdpMode mode)
    {
        var options = new LibBpf.XdpQueryOptions { Size = (nuint)sizeof(LibBpf.XdpQueryOptions) };
        XdpException.ThrowIfNegative(LibBpf.BpfXdpQuery(ifindex, 0, &options), "bpf_xdp_query", $"ifindex {ifindex}");
        uint id = mode == XdpMode.Skb ? options.SkbProgramId : options.DriverProgramId;
        return id == 0 ? null : new AttachedProgram(id, NameOf(id));
    }

    /// <summary>Detaches whatever program is attached in <paramref name="mode"/> (used to clear a program left behind).</summary>
    public static void DetachAny(int ifindex, XdpMode mode) =>
        XdpException.ThrowIfNegative(LibBpf.BpfXdpDetach(ifindex, (uint)ModeFlags(mode), 0), "bpf_xdp_detach", $"ifindex {ifindex}");

    public void Dispose()
    {
        try
        {
            Detach();
        }
        finally
        {
            if (_object != 0)
                LibBpf.BpfObjectClose(_object);
            _object = 0;
            if (_handedOverMaps is { } maps)
            {
                LibC.Close(ProgramFd);
                foreach (int fd in maps.Values)
                    LibC.Close(fd);
                _handedOverMaps = null;
            }
        }
    }

    /// <summary>The name of the loaded program <paramref name="id"/>; empty when it cannot be read (no CAP_SYS_ADMIN, or unloaded meanwhile).</summary>
    private static string NameOf(uint id)
    {
        int fd = LibBpf.BpfProgGetFdById(id);
        if (fd < 0)
            return "";
        try
        {
            byte* info = stackalloc byte[BpfObjectInfo.Bytes];
            return BpfObjectInfo.TryRead(fd, info) >= 0 ? BpfObjectInfo.ProgramName(info) : "";
        }
        finally
        {
            LibC.Close(fd);
        }
    }

    /// <summary>Detaches the program behind <paramref name="programFd"/> if it is the one attached in <paramref name="mode"/>; libbpf's result.</summary>
    private static int DetachIfAttached(int ifindex, XdpMode mode, int programFd)
    {
        var options = new AttachOptions { Size = (nuint)sizeof(AttachOptions), OldProgramFd = programFd };
        return LibBpf.BpfXdpDetach(ifindex, (uint)(ModeFlags(mode) | XdpAttachFlags.Replace), (nint)(&options));
    }

    private static XdpAttachFlags ModeFlags(XdpMode mode) => mode == XdpMode.Skb ? XdpAttachFlags.SkbMode : XdpAttachFlags.DriverMode;

    /// <summary>libbpf's <c>struct bpf_xdp_attach_opts</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct AttachOptions
    {
        public nuint Size;
        public int OldProgramFd;
    }
}
