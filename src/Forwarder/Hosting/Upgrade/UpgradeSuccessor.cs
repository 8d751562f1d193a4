using Forwarder.Hosting.Privileges;
using Microsoft.Extensions.Logging;

namespace Forwarder.Hosting.Upgrade;

/// <summary>
/// The new process's side of an upgrade. Its host is up with every queue awaiting the hand-over (nothing of it has
/// touched a ring); it says <c>ready</c>, reads the stopped predecessor's state, says <c>running</c> (from here on the
/// queues are its own, and the predecessor leaves) and only then takes the rings and starts the workers. Its control API
/// serves on the listening socket the predecessor handed over (connections made meanwhile wait in its backlog), or, without
/// one, listens once the predecessor is gone (<see cref="WaitForPredecessor"/>), where the predecessor's did.
/// </summary>
public sealed class UpgradeSuccessor : IDisposable
{
    /// <summary>How long the predecessor may take to stop its workers and send their state once told ready.</summary>
    public static readonly TimeSpan StateTimeout = TimeSpan.FromSeconds(5);

    /// <summary>How long the predecessor may take to leave once the queues are handed over (it answers its API request first).</summary>
    public static readonly TimeSpan LeaveTimeout = TimeSpan.FromSeconds(10);

    private readonly UpgradeChannel _channel;

    private UpgradeSuccessor(UpgradeChannel channel) => _channel = channel;

    /// <summary>Runs the hand-over; throws <see cref="InvalidOperationException"/> when it cannot (the predecessor then goes on).</summary>
    public static UpgradeSuccessor TakeOver(ForwarderHost host, InheritedSetup inherited, uint frameCount, ILogger log)
    {
        var channel = new UpgradeChannel(inherited.UpgradeFd);
        try
        {
            UpgradeMessages.WarmUp();
            int predecessor = PredecessorPid(); // while it is the parent
            host.ArmHandOver();
            if (!channel.Send(UpgradeMessages.Ready))
                throw new InvalidOperationException("upgrade: the predecessor is gone before the hand-over");
            HandOverState state;
            try
            {
                state = UpgradeMessages.ReadState(() => channel.Receive(StateTimeout), host.Queues.Count, frameCount);
            }
            catch (FormatException e)
            {
                channel.Send($"{UpgradeMessages.Refused} {e.Message}");
                throw new InvalidOperationException($"upgrade: {e.Message}");
            }
            if (!channel.Send(UpgradeMessages.Running))
                throw new InvalidOperationException("upgrade: the predecessor is gone during the hand-over (it resumes or has stopped)");
            long[] batchesBefore = state.Queues.Select(q => q.Counters.Length > 4 ? q.Counters[4] : 0).ToArray();
            host.TakeOverQueues(state.Queues);
            double? gap = FirstBatchAfter(host, batchesBefore, state.StoppedAt);
            log.TookOver(predecessor);
            Console.Out.WriteLine($"UPGRADE pid={Environment.ProcessId} gap_ms={(gap is { } g ? g.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) : "-")}");
            Console.Out.Flush();
            return new UpgradeSuccessor(channel);
        }
        catch
        {
            channel.Dispose();
            throw;
        }
    }

    /// <summary>Waits until the predecessor has left (it closed the hand-over socket); false when it did not within <see cref="LeaveTimeout"/>.</summary>
    public bool WaitForPredecessor() => _channel.WaitForClose(LeaveTimeout);

    public void Dispose() => _channel.Dispose();

    /// <summary>
    /// The forwarding gap as the forwarder's own clocks see it: from when the predecessor told its workers to stop (its
    /// last batch ends after that) to the first batch any worker here completes; null when none came within 2 s (no traffic).
    /// </summary>
    private static double? FirstBatchAfter(ForwarderHost host, long[] batchesBefore, long stoppedAt)
    {
        if (stoppedAt == 0)
            return null;
        long deadline = System.Diagnostics.Stopwatch.GetTimestamp() + 2 * System.Diagnostics.Stopwatch.Frequency;
        var spin = new SpinWait();
        while (System.Diagnostics.Stopwatch.GetTimestamp() < deadline)
        {
            for (int i = 0; i < host.Queues.Count; i++)
            {
                if (Volatile.Read(ref host.Queues[i].Counters.Batches) > batchesBefore[i])
                    return System.Diagnostics.Stopwatch.GetElapsedTime(stoppedAt).TotalMilliseconds;
            }
            spin.SpinOnce(sleep1Threshold: -1);
        }
        return null;
    }

    private static int PredecessorPid()
    {
        try
        {
            string stat = File.ReadAllText("/proc/self/stat");
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException)
        {
            return 0;
        }
    }
}
