using System.Runtime.InteropServices;
using AfXdp.Interop;

namespace AfXdp;

/// <summary>The XDP program attached to an interface right now, as the kernel reports it.</summary>
public sealed record AttachedProgram(uint Id, string Name);

/// <summary>
/// A BPF object file loaded through libbpf: one XDP program and its maps. Attach puts it on an
/// interface; Dispose detaches it (only if it is still the attached program) and unloads it.
/// </summary>
public sealed unsafe class XdpProgram : IDisposable
{
    private nint _object;
    private int _attachedIfindex;
    private XdpMode _attachedMode;

    private XdpProgram(nint obj, int programFd, string programName)
    {
        _object = obj;
        ProgramFd = programFd;
        ProgramName = programName;
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

    public int ProgramFd { get; }

    public string ProgramName { get; }

    public BpfMap GetMap(string name)
    {
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
                "bpf_xdp_attach", $"ifindex {ifindex}, {mode} mode");
        }
        else
        {
            int oldFd = LibBpf.BpfProgGetFdById(replacing.Id);
            if (oldFd < 0)
                throw XdpException.FromLastError("bpf_prog_get_fd_by_id", $"program {replacing.Id}");
            try
            {
                var options = new AttachOptions { Size = (nuint)sizeof(AttachOptions), OldProgramFd = oldFd };
                XdpException.ThrowIfNegative(LibBpf.BpfXdpAttach(ifindex, ProgramFd, flags | (uint)XdpAttachFlags.Replace, (nint)(&options)),
                    "bpf_xdp_attach", $"ifindex {ifindex}, {mode} mode, replacing program {replacing.Id} ({replacing.Name})");
            }
            finally
            {
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

    /// <summary>The program attached to an interface in any mode, or null.</summary>
    public static AttachedProgram? QueryAttached(int ifindex)
    {
        if (LibBpf.BpfXdpQueryId(ifindex, 0, out uint id) < 0 || id == 0)
            return null;
        int fd = LibBpf.BpfProgGetFdById(id);
        if (fd < 0)
            return new AttachedProgram(id, "");
        try
        {
            // struct bpf_prog_info: name[16] at offset 64. The buffer is larger than any kernel's struct and zeroed, as the kernel requires.
            byte* info = stackalloc byte[1024];
            new Span<byte>(info, 1024).Clear();
            uint length = 1024;
            if (LibBpf.BpfObjGetInfoByFd(fd, info, ref length) < 0)
                return new AttachedProgram(id, "");
            string name = Marshal.PtrToStringUTF8((nint)(info + 64)) ?? "";
            return new AttachedProgram(id, name);
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
        }
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
