namespace Forwarder.IntegrationTests.Infrastructure;

/// <summary>The CapEff, CapPrm and CapBnd lines of one thread's /proc status file, as the kernel writes them.</summary>
public sealed record ThreadCapabilities(string Effective, string Permitted, string Bounding)
{
    public static ThreadCapabilities Parse(string status)
    {
        string Line(string key) => status.Split('\n').FirstOrDefault(l => l.StartsWith(key + ":", StringComparison.Ordinal))?[(key.Length + 1)..].Trim()
            ?? throw new InvalidOperationException($"no {key} line in:\n{status}");
        return new ThreadCapabilities(Line("CapEff"), Line("CapPrm"), Line("CapBnd"));
    }

    /// <summary>Every thread of process <paramref name="pid"/>, by thread id.</summary>
    public static IReadOnlyDictionary<int, ThreadCapabilities> Of(int pid)
    {
        var threads = new Dictionary<int, ThreadCapabilities>();
        foreach (string task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                threads[int.Parse(Path.GetFileName(task), System.Globalization.CultureInfo.InvariantCulture)] =
                    Parse(File.ReadAllText(Path.Combine(task, "status")));
            }
            catch (IOException)
            {
                // the thread ended while being read
            }
        }
        return threads;
    }
}
