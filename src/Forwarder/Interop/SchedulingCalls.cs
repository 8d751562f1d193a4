using System.Runtime.InteropServices;

namespace Forwarder.Interop;

/// <summary>The libc calls that keep an upgrade's successor's start-up off the workers' cores: thread affinity and nice values.</summary>
internal static unsafe partial class Posix
{
    public const int PRIO_PROCESS = 0;
    public const int RLIMIT_NICE = 13;
    public const int SYS_gettid = 186;

    /// <summary>sched_setaffinity for one thread (0: the caller); the mask is 1,024 bits.</summary>
    [LibraryImport(Library, EntryPoint = "sched_setaffinity", SetLastError = true)]
    public static partial int SchedSetAffinity(int tid, nuint size, ulong* mask);

    [LibraryImport(Library, EntryPoint = "sched_getaffinity", SetLastError = true)]
    public static partial int SchedGetAffinity(int tid, nuint size, ulong* mask);

    /// <summary>setpriority(PRIO_PROCESS, TID, NICE): on Linux the nice value of one thread (0: the caller).</summary>
    [LibraryImport(Library, EntryPoint = "setpriority", SetLastError = true)]
    public static partial int SetPriority(int which, uint who, int nice);

    [LibraryImport(Library, EntryPoint = "syscall")]
    private static partial long Syscall(long number);

    /// <summary>The calling thread's id.</summary>
    public static int GetTid() => (int)Syscall(SYS_gettid);
}
