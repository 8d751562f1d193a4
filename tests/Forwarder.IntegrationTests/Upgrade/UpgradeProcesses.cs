using System.Globalization;
using System.Text.RegularExpressions;
using Forwarder.IntegrationTests.Infrastructure;

namespace Forwarder.IntegrationTests.Upgrade;

/// <summary>
/// The chain of processes one forwarder becomes through upgrades. Every successor writes to the first one's standard
/// output (it inherits it), so the lines tell who forwards: <c>UPGRADE pid=N gap_ms=G</c> from a successor that took
/// over, <c>UPGRADED pid=N</c> from the predecessor as it leaves. Stops the last one it knows of when disposed (the
/// first is the <see cref="ForwarderProcess"/>'s to stop).
/// </summary>
public sealed partial class UpgradeProcesses(ForwarderProcess first) : IDisposable
{
    /// <summary>The process that forwards now.</summary>
    public int Current { get; private set; } = first.Pid;

    /// <summary>Each take-over's forwarding gap in ms as the successor measured it (null: no traffic within 2 s).</summary>
    public List<double?> Gaps { get; } = [];

    /// <summary>Each take-over's pause, step by step (<c>workers_stopped=+0.120 ...</c>, ms since the step before), as the successor printed it.</summary>
    public List<string> Timelines { get; } = [];

    /// <summary>Sends SIGUSR2 to the current process and waits (bounded) until its successor took over and it left.</summary>
    public void UpgradeBySignal(TimeSpan timeout) => Upgrade(() =>
    {
        if (LibC.Kill(Current, 12) != 0)
            throw new InvalidOperationException($"SIGUSR2 to {Current} failed");
    }, timeout);

    /// <summary>Runs <paramref name="trigger"/> (a signal, a CLI call) and waits (bounded) until a successor took over and the predecessor left.</summary>
    public void Upgrade(Action trigger, TimeSpan timeout)
    {
        int before = Lines("UPGRADE ").Count;
        int failedBefore = Failures();
        int predecessor = Current;
        trigger();
        if (!Wait.Until(() => Lines("UPGRADE ").Count > before || Failures() > failedBefore, timeout, TimeSpan.FromMilliseconds(20)))
            throw new TimeoutException($"no successor took over from {predecessor} within {timeout.TotalSeconds:0} s\n{first.Describe()}");
        if (Failures() > failedBefore)
            throw new InvalidOperationException($"the upgrade of {predecessor} failed\n{first.Describe()}");
        Match line = TookOver().Match(Lines("UPGRADE ")[before]);
        Current = int.Parse(line.Groups[1].Value, CultureInfo.InvariantCulture);
        Gaps.Add(line.Groups[2].Value == "-" ? null : double.Parse(line.Groups[2].Value, CultureInfo.InvariantCulture));
        Timelines.Add(line.Groups[3].Value);
        if (!Wait.Until(() => !Directory.Exists($"/proc/{predecessor}") || IsZombie(predecessor), timeout, TimeSpan.FromMilliseconds(20)))
            throw new TimeoutException($"pid {predecessor} did not leave after handing over\n{first.Describe()}");
    }

    /// <summary>Stops the current process with SIGTERM and waits (bounded) for it to go.</summary>
    public void StopCurrent(TimeSpan timeout)
    {
        if (Current == first.Pid)
        {
            first.Stop();
            return;
        }
        LibC.Kill(Current, LibC.SIGTERM);
        if (!Wait.Until(() => !Directory.Exists($"/proc/{Current}") || IsZombie(Current), timeout, TimeSpan.FromMilliseconds(50)))
            throw new TimeoutException($"pid {Current} still runs {timeout.TotalSeconds:0} s after SIGTERM");
    }

    private int Failures() => first.StdoutLines.Count(l => l.Contains(") refused: ", StringComparison.Ordinal) || l.Contains(") rolled back: ", StringComparison.Ordinal));

    private List<string> Lines(string prefix) => first.StdoutLines.Where(l => l.StartsWith(prefix, StringComparison.Ordinal)).ToList();

    private static bool IsZombie(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return true;
        }
    }

    [GeneratedRegex(@"^UPGRADE pid=(\d+) gap_ms=([0-9.]+|-) ?(.*)$")]
    private static partial Regex TookOver();

    public void Dispose()
    {
        if (Current != first.Pid && Directory.Exists($"/proc/{Current}"))
            LibC.Kill(Current, LibC.SIGKILL);
    }
}
