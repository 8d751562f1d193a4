using System.Runtime.InteropServices;

namespace Forwarder.IntegrationTests.Infrastructure;

/// <summary>
/// Stops one thread of another process, and only that one, until disposed: ptrace(PTRACE_SEIZE) and
/// PTRACE_INTERRUPT put it in a ptrace-stop without a group stop, so the process's other threads run on; a stuck
/// worker made from outside, with nothing in the forwarder's code. Every ptrace call comes from one thread of its own,
/// as ptrace requires.
/// </summary>
internal sealed partial class ThreadFreeze : IDisposable
{
    private const int PTRACE_DETACH = 17, PTRACE_SEIZE = 0x4206, PTRACE_INTERRUPT = 0x4207, __WALL = 0x40000000;
    private readonly ManualResetEventSlim _frozen = new(), _release = new();
    private readonly Thread _tracer;
    private string? _failure;

    private ThreadFreeze(int tid)
    {
        _tracer = new Thread(() => Trace(tid)) { IsBackground = true, Name = $"ptrace {tid}" };
    }

    /// <summary>Returns once the thread is stopped; throws when it could not be.</summary>
    public static ThreadFreeze Freeze(int tid)
    {
        var freeze = new ThreadFreeze(tid);
        freeze._tracer.Start();
        if (!freeze._frozen.Wait(TimeSpan.FromSeconds(5)) || freeze._failure is not null)
        {
            freeze.Dispose();
            throw new InvalidOperationException($"could not stop thread {tid}: {freeze._failure ?? "no ptrace-stop within 5 s"}");
        }
        return freeze;
    }

    /// <summary>The thread of <paramref name="pid"/> whose name (comm) is <paramref name="name"/>; null when there is none.</summary>
    public static int? ThreadNamed(int pid, string name)
    {
        foreach (string task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n') == name)
                    return int.Parse(Path.GetFileName(task), System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
            }
        }
        return null;
    }

    private void Trace(int tid)
    {
        if (Ptrace(PTRACE_SEIZE, tid, 0, 0) != 0 || Ptrace(PTRACE_INTERRUPT, tid, 0, 0) != 0)
        {
            _failure = $"ptrace: errno {Marshal.GetLastPInvokeError()}";
            _frozen.Set();
            return;
        }
        int status = 0;
        if (WaitPid(tid, ref status, __WALL) != tid)
            _failure = $"waitpid: errno {Marshal.GetLastPInvokeError()}";
        _frozen.Set();
        _release.Wait(TimeSpan.FromSeconds(30)); // bounded: never leave the thread stopped for good
        Ptrace(PTRACE_DETACH, tid, 0, 0);
    }

    public void Dispose()
    {
        _release.Set();
        _tracer.Join(TimeSpan.FromSeconds(5));
    }

    [LibraryImport("libc", EntryPoint = "ptrace", SetLastError = true)]
    private static partial long Ptrace(long request, int pid, nint address, nint data);

    [LibraryImport("libc", EntryPoint = "waitpid", SetLastError = true)]
    private static partial int WaitPid(int pid, ref int status, int options);
}
