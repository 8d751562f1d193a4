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
        var masks = new Dictionary<string, CapabilitySet>(StringComparer.Ordinal);
        foreach (string line in statusText.Split('\n'))
        {
            int colon = line.IndexOf(':');
            if (colon > 0 && line.StartsWith("Cap", StringComparison.Ordinal))
                masks[line[..colon]] = CapabilitySet.Parse(line[(colon + 1)..]);
        }
        CapabilitySet Get(string key) => masks.TryGetValue(key, out CapabilitySet set) ? set
            : throw new FormatException($"no {key} line in the status text");
        return new ProcessCapabilities(Get("CapInh"), Get("CapPrm"), Get("CapEff"), Get("CapBnd"),
            masks.TryGetValue("CapAmb", out CapabilitySet ambient) ? ambient : CapabilitySet.None);
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
    public static CapabilitySet EffectiveOfAnyThread() =>
        OfEveryThread().Values.Aggregate(CapabilitySet.None, (all, thread) => all.Union(thread.Effective));
}
