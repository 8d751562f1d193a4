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
    // Where bpf_obj_get_info_by_fd puts what is read here: struct bpf_prog_info's type, id and name[16];
    // struct bpf_map_info's name[16].
    private const int ProgramInfoType = 0, ProgramInfoId = 4, ProgramInfoName = 64, MapInfoName = 24;
    /// <summary>Larger than any kernel's info struct.</summary>
    private const int InfoBytes = 1024;

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

    /// <summary>Opens and loads <paramref name="objectPath"/> and finds <paramref name="programName"/> in it.</summary>
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
        byte* info = stackalloc byte[InfoBytes];
        ReadInfo(programFd, info, "program");
        string name = NameAt(info + ProgramInfoName);
        uint type = *(uint*)(info + ProgramInfoType);
        if (type != ProgramTypeXdp || name != KernelName(programName))
            throw new InvalidOperationException($"descriptor {programFd} is not the XDP program {programName} (it is '{name}', type {type})");
        foreach ((string mapName, int fd) in mapFds)
        {
            ReadInfo(fd, info, $"map {mapName}");
            string actual = NameAt(info + MapInfoName);
            if (actual != KernelName(mapName))
                throw new InvalidOperationException($"descriptor {fd} is not the map {mapName} (it is '{actual}')");
        }
        return new XdpProgram(0, programFd, programName, new Dictionary<string, int>(mapFds));
    }

    /// <summary>The id and name the kernel gives the program behind <paramref name="programFd"/>, which the result carries.</summary>
    public static AttachedProgram Describe(int programFd)
    {
        byte* info = stackalloc byte[InfoBytes];
        ReadInfo(programFd, info, "program");
        return new AttachedProgram(*(uint*)(info + ProgramInfoId), NameAt(info + ProgramInfoName)) { Fd = programFd };
    }

    /// <summary>Opens a descriptor of the loaded program <paramref name="id"/> (CAP_SYS_ADMIN); the caller closes it.</summary>
    public static int OpenById(uint id)
    {
        int fd = LibBpf.BpfProgGetFdById(id);
        return fd >= 0 ? fd : throw XdpException.FromLastError("bpf_prog_get_fd_by_id", $"program {id}");
    }

    /// <summary>A name as the kernel keeps it: cut to 15 bytes.</summary>
    public static string KernelName(string name) => name.Length < ObjectNameBytes ? name : name[..(ObjectNameBytes - 1)];

    public int ProgramFd { get; }

    public string ProgramName { get; }

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

    /// <summary>Detaches from the interface, but only if this program is still the one attached there.</summary>
    public void Detach()
    {
        if (_attachedIfindex == 0)
            return;
        var options = new AttachOptions { Size = (nuint)sizeof(AttachOptions), OldProgramFd = ProgramFd };
        int result = LibBpf.BpfXdpDetach(_attachedIfindex, (uint)(ModeFlags(_attachedMode) | XdpAttachFlags.Replace), (nint)(&options));
        _attachedIfindex = 0;
        if (result < 0 && -result is not (Errnos.ENOENT or Errnos.ENODEV or Errnos.EEXIST))
            throw new XdpException("bpf_xdp_detach", -result);
    }

    /// <summary>
    /// The program attached to an interface in any mode, or null. Its name is read through its id (CAP_SYS_ADMIN);
    /// without that it is empty, unless it is <paramref name="known"/>, a program this process holds a descriptor of.
    /// </summary>
    public static AttachedProgram? QueryAttached(int ifindex, AttachedProgram? known = null)
    {
        if (LibBpf.BpfXdpQueryId(ifindex, 0, out uint id) < 0 || id == 0)
            return null;
        if (known is not null && known.Id == id)
            return known;
        int fd = LibBpf.BpfProgGetFdById(id);
        if (fd < 0)
            return new AttachedProgram(id, "");
        try
        {
            byte* info = stackalloc byte[InfoBytes];
            return new AttachedProgram(id, GetInfo(fd, info) >= 0 ? NameAt(info + ProgramInfoName) : "");
        }
        finally
        {
            LibC.Close(fd);
        }
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

    private static void ReadInfo(int fd, byte* info, string what) =>
        XdpException.ThrowIfNegative(GetInfo(fd, info), "bpf_obj_get_info_by_fd", $"{what} (fd {fd})");

    /// <summary>
    /// Reads the kernel's info struct of a program or map into <paramref name="info"/> (<see cref="InfoBytes"/>,
    /// zeroed first, as the kernel requires); libbpf's result, a negative errno on failure.
    /// </summary>
    private static int GetInfo(int fd, byte* info)
    {
        new Span<byte>(info, InfoBytes).Clear();
        uint length = InfoBytes;
        return LibBpf.BpfObjGetInfoByFd(fd, info, ref length);
    }

    private static string NameAt(byte* name) => Marshal.PtrToStringUTF8((nint)name) ?? "";

    private static XdpAttachFlags ModeFlags(XdpMode mode) => mode == XdpMode.Skb ? XdpAttachFlags.SkbMode : XdpAttachFlags.DriverMode;

    /// <summary>libbpf's <c>struct bpf_xdp_attach_opts</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct AttachOptions
    {
        public nuint Size;
        public int OldProgramFd;
    }
}
