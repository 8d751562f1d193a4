using AfXdp.Interop;

namespace AfXdp;

/// <summary>Pins the calling thread to one CPU (sched_setaffinity on the thread's own id).</summary>
public static class CpuAffinity
{
    public static unsafe void PinCurrentThread(int cpu)
    {
        if (cpu is < 0 or >= 1024)
            throw new ArgumentOutOfRangeException(nameof(cpu), cpu, "CPU must be between 0 and 1023");
        ulong* mask = stackalloc ulong[16];
        new Span<ulong>(mask, 16).Clear();
        mask[cpu / 64] = 1UL << (cpu % 64);
        if (LibC.SchedSetAffinity(0, 16 * sizeof(ulong), mask) != 0)
            throw XdpException.FromLastError("sched_setaffinity", $"CPU {cpu}");
    }

    /// <summary>The CPUs this process may run on.</summary>
    public static IReadOnlyList<int> AllowedCpus()
    {
        var cpus = new List<int>();
        long mask = (long)System.Diagnostics.Process.GetCurrentProcess().ProcessorAffinity;
        for (int i = 0; i < 64; i++)
            if ((mask & (1L << i)) != 0)
                cpus.Add(i);
        return cpus;
    }
}
