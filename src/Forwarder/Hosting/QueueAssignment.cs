using System.Globalization;

namespace Forwarder.Hosting;

/// <summary>Which NIC queue each worker serves and which CPU it is pinned to: validated before any device is touched.</summary>
public sealed record QueueAssignment(int Queue, int Core)
{
    /// <summary>
    /// Pairs <paramref name="queuesText"/> (e.g. "0,1") with <paramref name="coresText"/> (same length; defaults
    /// to the queue numbers). Throws <see cref="FormatException"/> with a message naming what to fix.
    /// </summary>
    public static IReadOnlyList<QueueAssignment> Parse(string queuesText, string? coresText, IReadOnlyCollection<int> allowedCpus)
    {
        int[] queues = ParseList(queuesText, "--queues");
        int[] cores = coresText is null ? queues : ParseList(coresText, "--cores");
        if (queues.Length == 0)
            throw new FormatException("--queues: give at least one queue, e.g. --queues 0");
        if (cores.Length != queues.Length)
            throw new FormatException($"--cores lists {cores.Length} CPU(s) for {queues.Length} queue(s): give one CPU per queue, in the same order");
        if (queues.Distinct().Count() != queues.Length)
            throw new FormatException($"--queues {queuesText}: a queue is listed twice");
        if (cores.Distinct().Count() != cores.Length)
            throw new FormatException($"--cores {coresText ?? queuesText}: a CPU is listed twice; each worker needs a core of its own");
        foreach (int core in cores)
        {
            if (!allowedCpus.Contains(core))
                throw new FormatException($"--cores: CPU {core} is not available to this process (available: {string.Join(',', allowedCpus)})");
        }
        return queues.Zip(cores, (q, c) => new QueueAssignment(q, c)).ToArray();
    }

    /// <summary>Checks the queues exist on the interface (when the driver reports its queue count).</summary>
    public static void CheckAgainstDevice(IReadOnlyList<QueueAssignment> assignments, string iface, int rxQueues)
    {
        if (ProblemWithDevice(assignments, iface, rxQueues) is { } problem)
            throw new FormatException(problem);
    }

    /// <summary>What is wrong with serving <paramref name="assignments"/> on an interface of <paramref name="rxQueues"/> RX queues (0: unknown), or null.</summary>
    public static string? ProblemWithDevice(IReadOnlyList<QueueAssignment> assignments, string iface, int rxQueues)
    {
        if (rxQueues <= 0)
            return null;
        int[] missing = assignments.Where(a => a.Queue >= rxQueues).Select(a => a.Queue).ToArray();
        return missing.Length == 0 ? null
            : $"--queues: {iface} has {rxQueues} RX queue(s) (0–{rxQueues - 1}), there is no queue {string.Join(", ", missing)}. " +
              $"Serve queues below {rxQueues}, or add queues to the device (ethtool -L {iface} combined N; see ethtool -l {iface})";
    }

    private static int[] ParseList(string text, string option)
    {
        var values = new List<int>();
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value > 1023)
                throw new FormatException($"{option} {text}: '{part}' is not a number from 0 to 1023");
            values.Add(value);
        }
        return values.ToArray();
    }
}
