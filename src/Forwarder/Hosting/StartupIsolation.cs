using System.Globalization;
using Forwarder.Interop;

namespace Forwarder.Hosting;

/// <summary>
/// Keeps an upgrade's successor's start-up (a .NET runtime loading and compiling, seconds of CPU) from starving the
/// running workers. The predecessor starts it from a thread of its own (<see cref="Start{T}"/>) whose affinity excludes
/// the workers' cores (when another core exists) and whose nice value is <see cref="StartupNice"/> (when the successor
/// can take it back: CAP_SYS_NICE, or an RLIMIT_NICE of 20 or more, e.g. systemd's <c>LimitNICE=+0</c>); the successor
/// inherits both. Just before it says ready, the successor takes every thread of its own back to nice 0
/// (<see cref="LiftNice"/>): its workers, pinned to their cores as always, take over at the normal priority. The rest of
/// its start-up (health checks, the control API) stays off the workers' cores until done (<see cref="LiftCores"/>).
/// </summary>
public static unsafe class StartupIsolation
{
    /// <summary>Names the CPUs the predecessor could use (<c>0,1,2</c>), which its successor's start-up cannot: the workers' cores are checked against them.</summary>
    public const string EnvironmentVariable = "FORWARDER_UPGRADE_CPUS";

    /// <summary>
    /// The CPUs workers may be pinned to: this process's own, or in an upgrade's successor (started off the workers'
    /// cores) its predecessor's as <see cref="EnvironmentVariable"/> names them; the process's own when that is not a list of CPUs.
    /// </summary>
    public static IReadOnlyList<int> AllowedCpus() =>
        AllowedCpus(Environment.GetEnvironmentVariable(EnvironmentVariable), AfXdp.CpuAffinity.AllowedCpus());

    /// <summary><paramref name="own"/> with the CPUs <paramref name="named"/> lists (<c>0,1,2</c>); <paramref name="own"/> alone when it is not such a list.</summary>
    public static IReadOnlyList<int> AllowedCpus(string? named, IReadOnlyList<int> own)
    {
        if (named is not { Length: > 0 and < 8192 })
            return own;
        var cpus = new List<int>();
        foreach (string word in named.Split(','))
        {
            if (!int.TryParse(word, NumberStyles.None, CultureInfo.InvariantCulture, out int cpu) || cpu >= MaskWords * 64)
                return own;
            cpus.Add(cpu);
        }
        return cpus.Union(own).Order().ToArray();
    }

    /// <summary>The start-up's nice value: the lowest priority short of SCHED_IDLE.</summary>
    public const int StartupNice = 19;

    private const int MaskWords = 16;
    private const int CapSysNice = 23;

    /// <summary>How a successor was started, in one phrase for the log.</summary>
    public static string Describe(IReadOnlyList<int>? cores, bool niced) =>
        (cores is null ? "on every core (no core is free of workers)" : $"on core(s) {string.Join(',', cores)}, off the workers'")
        + (niced ? $", at nice {StartupNice}" : ", at the normal priority (lowering it needs CAP_SYS_NICE or an RLIMIT_NICE of 20 to undo it)");

    /// <summary>The cores this process may use less <paramref name="workerCores"/>; null when none is left (a one-core machine).</summary>
    public static IReadOnlyList<int>? CoresBeside(IReadOnlyList<int> workerCores)
    {
        IReadOnlyList<int> allowed = Cores(0);
        int[] left = allowed.Except(workerCores).ToArray();
        return left.Length == 0 ? null : left;
    }

    /// <summary>Whether a nice value raised now can be lowered again to 0 by this process's image: CAP_SYS_NICE, or RLIMIT_NICE ≥ 20.</summary>
    public static bool CanUndoNice()
    {
        Posix.RLimit limit = default;
        if (Posix.GetRLimit(Posix.RLIMIT_NICE, &limit) == 0 && limit.Current >= 20) // RLIM_INFINITY included
            return true;
        try
        {
            return Privileges.ProcessCapabilities.OfCurrentThread().Effective.Contains((Privileges.Capability)CapSysNice);
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Runs <paramref name="start"/> (which starts the successor) on a new thread with the affinity <paramref name="cores"/> (null: unchanged) and, if <paramref name="nice"/>, <see cref="StartupNice"/>; that thread ends with it.</summary>
    public static T Start<T>(IReadOnlyList<int>? cores, bool nice, Func<T> start)
    {
        T? result = default;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                if (cores is not null)
                    SetCores(0, cores);
                if (nice)
                    Posix.SetPriority(Posix.PRIO_PROCESS, 0, StartupNice);
                result = start();
            }
            catch (Exception e)
            {
                failure = e;
            }
        }) { Name = "upgrade launcher", IsBackground = true };
        thread.Start();
        thread.Join();
        if (failure is not null)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        return result!;
    }

    /// <summary>In the successor, before it says ready: every thread at nice 0 (its workers take over at the normal priority). Answers what could not be undone; null when all was.</summary>
    public static string? LiftNice()
    {
        var failed = new List<string>();
        foreach (int tid in Threads())
        {
            if (Nice(tid) is > 0 && Posix.SetPriority(Posix.PRIO_PROCESS, (uint)tid, 0) != 0)
                failed.Add($"thread {tid}'s nice value: {System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(System.Runtime.InteropServices.Marshal.GetLastPInvokeError())}");
        }
        return failed.Count == 0 ? null : string.Join("; ", failed.Take(3));
    }

    /// <summary>
    /// In the successor, once its start-up is done (the control API up): every thread whose affinity is the start-up's
    /// (not a worker pinned to its core) on all online cores again. Answers what could not be undone; null when all was.
    /// </summary>
    public static string? LiftCores()
    {
        IReadOnlyList<int> startup = Cores(0);
        IReadOnlyList<int> online = OnlineCores();
        if (online.Count <= startup.Count)
            return null;
        var failed = new List<string>();
        foreach (int tid in Threads())
        {
            if (Cores(tid).SequenceEqual(startup) && !SetCores(tid, online))
                failed.Add($"thread {tid}'s cores");
        }
        return failed.Count == 0 ? null : string.Join("; ", failed.Take(3));
    }

    /// <summary>A thread's nice value (/proc/self/task/TID/stat, field 19); null when it is gone.</summary>
    public static int? Nice(int tid, int pid = 0)
    {
        try
        {
            string stat = File.ReadAllText(pid == 0 ? $"/proc/self/task/{tid}/stat" : $"/proc/{pid}/task/{tid}/stat");
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[16], CultureInfo.InvariantCulture); // field 19 of the whole line
        }
        catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static IEnumerable<int> Threads()
    {
        foreach (string directory in Directory.EnumerateDirectories("/proc/self/task"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out int tid))
                yield return tid;
        }
    }

    /// <summary>The cores thread <paramref name="tid"/> (0: the caller) may run on.</summary>
    public static IReadOnlyList<int> Cores(int tid)
    {
        ulong* mask = stackalloc ulong[MaskWords];
        new Span<ulong>(mask, MaskWords).Clear();
        if (Posix.SchedGetAffinity(tid, MaskWords * sizeof(ulong), mask) != 0)
            return [];
        var cores = new List<int>();
        for (int i = 0; i < MaskWords * 64; i++)
        {
            if ((mask[i / 64] & (1UL << (i % 64))) != 0)
                cores.Add(i);
        }
        return cores;
    }

    private static bool SetCores(int tid, IReadOnlyList<int> cores)
    {
        ulong* mask = stackalloc ulong[MaskWords];
        new Span<ulong>(mask, MaskWords).Clear();
        foreach (int core in cores.Where(c => c is >= 0 and < MaskWords * 64))
            mask[core / 64] |= 1UL << (core % 64);
        return Posix.SchedSetAffinity(tid, MaskWords * sizeof(ulong), mask) == 0;
    }

    /// <summary>/sys/devices/system/cpu/online (<c>0-3,6</c>); the kernel keeps an affinity within the cgroup's cpuset.</summary>
    private static IReadOnlyList<int> OnlineCores()
    {
        try
        {
            var cores = new List<int>();
            foreach (string part in File.ReadAllText("/sys/devices/system/cpu/online").Trim().Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                string[] ends = part.Split('-');
                int first = int.Parse(ends[0], CultureInfo.InvariantCulture);
                int last = ends.Length > 1 ? int.Parse(ends[1], CultureInfo.InvariantCulture) : first;
                for (int core = first; core <= last && core < MaskWords * 64; core++)
                    cores.Add(core);
            }
            return cores;
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
        {
            return Enumerable.Range(0, Environment.ProcessorCount).ToArray();
        }
    }
}
