namespace Forwarder.IntegrationTests.Infrastructure;

/// <summary>The threads of a process and the CPUs each may run on, from /proc/PID/task/TID/status.</summary>
public static class ThreadAffinity
{
    public static IReadOnlyList<ThreadCpus> Of(int pid)
    {
        var threads = new List<ThreadCpus>();
        foreach (string task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                string[] status = File.ReadAllLines(Path.Combine(task, "status"));
                string name = Field(status, "Name:");
                string cpus = Field(status, "Cpus_allowed_list:");
                threads.Add(new ThreadCpus(int.Parse(Path.GetFileName(task), System.Globalization.CultureInfo.InvariantCulture), name, cpus));
            }
            catch (IOException)
            {
                // the thread ended while being read
            }
        }
        return threads;
    }

    private static string Field(string[] status, string key) =>
        status.FirstOrDefault(line => line.StartsWith(key, StringComparison.Ordinal))?[key.Length..].Trim() ?? "";
}
