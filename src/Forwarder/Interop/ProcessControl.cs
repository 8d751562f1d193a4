using System.Runtime.InteropServices;

namespace Forwarder.Interop;

/// <summary>
/// The libc calls of privileged set-up and its hand-over to an exec'd successor: capability sets and
/// bounds, the locked-memory limit, the environment and execve. None of them is an AF_XDP concern.
/// </summary>
internal static unsafe partial class Posix
{
    public const int RLIMIT_MEMLOCK = 8;
    public const int PR_CAPBSET_READ = 23;
    public const int PR_CAPBSET_DROP = 24;
    public const int PR_CAP_AMBIENT = 47;
    public const int PR_CAP_AMBIENT_LOWER = 3;
    public const uint LINUX_CAPABILITY_VERSION_3 = 0x20080522;

    [LibraryImport(Library, EntryPoint = "getrlimit", SetLastError = true)]
    public static partial int GetRLimit(int resource, RLimit* limit);

    [LibraryImport(Library, EntryPoint = "prctl", SetLastError = true)]
    public static partial int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    [LibraryImport(Library, EntryPoint = "capget", SetLastError = true)]
    public static partial int CapGet(CapUserHeader* header, CapUserData* data);

    [LibraryImport(Library, EntryPoint = "capset", SetLastError = true)]
    public static partial int CapSet(CapUserHeader* header, CapUserData* data);

    [LibraryImport(Library, EntryPoint = "execve", SetLastError = true)]
    public static partial int Execve(byte* path, byte** argv, byte** envp);

    [LibraryImport(Library, EntryPoint = "unsetenv", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Unsetenv(string name);

    [StructLayout(LayoutKind.Sequential)]
    public struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    /// <summary><c>struct __user_cap_header_struct</c>; pid 0 = the calling thread.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct CapUserHeader
    {
        public uint Version;
        public int Pid;
    }

    /// <summary><c>struct __user_cap_data_struct</c>: version 3 takes two of them (capabilities 0–31, then 32–63).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct CapUserData
    {
        public uint Effective;
        public uint Permitted;
        public uint Inheritable;
    }
}
