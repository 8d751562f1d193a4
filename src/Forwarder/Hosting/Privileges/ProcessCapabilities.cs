namespace Forwarder.Hosting.Privileges;

/// <summary>
/// The capability sets of one thread, as /proc/PID/status (or /proc/PID/task/TID/status) lists them.
/// Capabilities belong to threads, not processes: <see cref="OfEveryThread"/> reads them all.
/// </summary>
public sealed record ProcessCapabilities(CapabilitySet Inheritable, CapabilitySet Permitted, CapabilitySet Effective, CapabilitySet Bounding, CapabilitySet Ambient)
{
    /// <summary>Reads the Cap* lines of a status file's text.</summary>
    public static ProcessCapabilities Parse(string statusText)
    {
        // Kept in locals, not a dictionary: a Dictionary<string, CapabilitySet> would be JIT-compiled on every start.
        CapabilitySet? inheritable = null, permitted = null, effective = null, bounding = null, ambient = null;
        foreach (string line in statusText.Split('\n'))
        {
            int colon = line.IndexOf(':');
            if (colon <= 0 || !line.StartsWith("Cap", StringComparison.Ordinal))
                continue;
            CapabilitySet set = CapabilitySet.Parse(line[(colon + 1)..]);
            switch (line[..colon])
            {
                case "CapInh": inheritable = set; break;
                case "CapPrm": permitted = set; break;
                case "CapEff": effective = set; break;
                case "CapBnd": bounding = set; break;
                case "CapAmb": ambient = set; break;
            }
        }
        static CapabilitySet Required(CapabilitySet? set, string key) => set ?? throw new FormatException($"no {key} line in the status text");
        return new ProcessCapabilities(Required(inheritable, "CapInh"), Required(permitted, "CapPrm"), Required(effective, "CapEff"), Required(bounding, "CapBnd"),
            ambient ?? CapabilitySet.None);
    }

    /// <summary>The calling thread's sets (the thread that will drop them and exec).</summary>
    public static ProcessCapabilities OfCurrentThread() => Parse(File.ReadAllText("/proc/thread-self/status"));

    /// <summary>The sets of every thread of this process, by thread id.</summary>
    public static IReadOnlyDictionary<int, ProcessCapabilities> OfEveryThread(int pid = 0)
    {
        string task = pid == 0 ? "/proc/self/task" : $"/proc/{pid}/task";
        var threads = new Dictionary<int, ProcessCapabilities>();
        foreach (string directory in Directory.EnumerateDirectories(task))
        {
            try
            {
                threads[int.Parse(Path.GetFileName(directory), System.Globalization.CultureInfo.InvariantCulture)] =
                    Parse(File.ReadAllText(Path.Combine(directory, "status")));
            }
            catch (IOException)
            {
                // the thread ended while being read
            }
        }
        return threads;
    }

    /// <summary>What any thread of this process may use: the union of every thread's effective set.</summary>
    public static CapabilitySet EffectiveOfAnyThread()
    {
        CapabilitySet all = CapabilitySet.None;
        foreach (ProcessCapabilities thread in OfEveryThread().Values)
            all = all.Union(thread.Effective);
        return all;
    }
}
