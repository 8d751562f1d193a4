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

    /// <summary>How long the predecessor's totals may take to come once it was told <c>running</c>.</summary>
    public static readonly TimeSpan TotalsTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long, after the take-over, the pause's report waits for the new workers' first batch. The take-over returns
    /// (and says READY to systemd) only after it, so with no traffic it must stay short; a first batch later than this
    /// is reported as no gap ("-").
    /// </summary>
    public static readonly TimeSpan FirstBatchReportLimit = TimeSpan.FromMilliseconds(400);

    /// <summary>Runs the hand-over; throws <see cref="InvalidOperationException"/> when it cannot (the predecessor then goes on).</summary>
    public static UpgradeSuccessor TakeOver(ForwarderHost host, InheritedSetup inherited, uint frameCount, ILogger log)
    {
        var channel = new UpgradeChannel(inherited.UpgradeFd);
        try
        {
            UpgradeMessages.WarmUp();
            FirstBatchAfter(host, new long[host.Queues.Count], TimeSpan.Zero); // compiled now: it spins in the pause
            int predecessor = PredecessorPid(); // while it is the parent
            if (StartupIsolation.LiftNice() is { } kept)
                log.IsolationKept(kept);
            GC.Collect(); // the start-up's garbage, now rather than in the pause or the first batches
            var timeline = new HandOverTimeline();
            using (HandOverGc.Quiet())
            {
                if (!channel.Send(UpgradeMessages.Ready))
                    throw new InvalidOperationException("upgrade: the predecessor is gone before the hand-over");
                HandOverState state;
                try
                {
                    state = UpgradeMessages.ReadState(() =>
                    {
                        string? line = channel.Receive(StateTimeout);
                        if (timeline[HandOverStep.Received] == 0)
                            timeline.Mark(HandOverStep.Received);
                        return line;
                    }, host.Queues.Count, frameCount, timeline);
                    timeline.Mark(HandOverStep.Parsed);
                }
                catch (FormatException e)
                {
                    channel.Send($"{UpgradeMessages.Refused} {e.Message}");
                    throw new InvalidOperationException($"upgrade: {e.Message}");
                }
                if (!channel.Send(UpgradeMessages.Running))
                    throw new InvalidOperationException("upgrade: the predecessor is gone during the hand-over (it resumes or has stopped)");
                timeline.Mark(HandOverStep.RunningSent);
                timeline.Set(HandOverStep.StopRequested, state.StoppedAt);
                long[] batchesBefore = new long[state.Queues.Count];
                for (int i = 0; i < batchesBefore.Length; i++)
                    batchesBefore[i] = state.Queues[i].Counters.Length > 4 ? state.Queues[i].Counters[4] : 0;
                host.TakeOverQueues(state.Queues, timeline);
                // The first batch is watched for before the rest of the take-over, which forwarding does not wait for.
                long? first = FirstBatchAfter(host, batchesBefore, TimeSpan.FromMilliseconds(100));
                host.CompleteTakeOver();
                timeline.Mark(HandOverStep.TookOver);
                if ((first ?? FirstBatchAfter(host, batchesBefore, FirstBatchReportLimit)) is { } at)
                    timeline.Set(HandOverStep.FirstBatch, at);
                long woken = host.Queues.Select(q => q.WokenAt).Where(t => t != 0).DefaultIfEmpty(0).Min();
                timeline.Set(HandOverStep.WorkerWoken, woken);
            }
            log.TookOver(predecessor);
            string gap = timeline.GapMilliseconds is { } g ? g.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) : "-";
            Console.Out.WriteLine($"UPGRADE pid={Environment.ProcessId} gap_ms={gap} {timeline.Describe()}");
            Console.Out.Flush();
            log.HandOverTimeline($"gap {gap}: {timeline.Describe()}");
            CarryTotals(host, channel, log);
            return new UpgradeSuccessor(channel);
        }
        catch
        {
            channel.Dispose();
            throw;
        }
    }

    /// <summary>Reads the predecessor's totals (sent after <c>running</c>) and counts on from them; logs, never throws, when they do not come.</summary>
    private static void CarryTotals(ForwarderHost host, UpgradeChannel channel, ILogger log)
    {
        long deadline = System.Diagnostics.Stopwatch.GetTimestamp() + (long)(TotalsTimeout.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
        string? Next()
        {
            TimeSpan left = System.Diagnostics.Stopwatch.GetElapsedTime(System.Diagnostics.Stopwatch.GetTimestamp(), deadline);
            return left <= TimeSpan.Zero ? null : channel.Receive(left);
        }
        CarriedCounters carried = CarriedTotals.Read(Next, host.Runtime?.Config.Vips ?? [], out int skipped, out bool ended);
        if (!ended)
        {
            log.TotalsNotCarried($"the hand-over socket closed or stayed silent for {TotalsTimeout.TotalSeconds:0} s");
            return;
        }
        host.CarryCounters(carried);
        log.TotalsCarried(carried.Vips.Count, carried.Tables.Count, skipped == 0 ? "" : $"; {skipped} line(s) not read (another version's, or naming what this configuration does not serve)");
    }

    /// <summary>Once the start-up is done (the control API serves): every thread but the workers on every core again (<see cref="StartupIsolation.LiftCores"/>).</summary>
    public void StartupDone(ILogger log)
    {
        if (StartupIsolation.LiftCores() is { } kept)
            log.IsolationKept(kept);
    }

    /// <summary>Waits until the predecessor has left (it closed the hand-over socket); false when it did not within <see cref="LeaveTimeout"/>.</summary>
    public bool WaitForPredecessor() => _channel.WaitForClose(LeaveTimeout);

    public void Dispose() => _channel.Dispose();

    /// <summary>
    /// When the first batch any worker here completes is seen (the end of the forwarding gap that began when the
    /// predecessor told its workers to stop); null when none came within <paramref name="limit"/> (no traffic).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)] // no OSR compile while it spins
    private static long? FirstBatchAfter(ForwarderHost host, long[] batchesBefore, TimeSpan limit)
    {
        long deadline = System.Diagnostics.Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
        var spin = new SpinWait();
        while (System.Diagnostics.Stopwatch.GetTimestamp() < deadline)
        {
            for (int i = 0; i < host.Queues.Count; i++)
            {
                if (Volatile.Read(ref host.Queues[i].Counters.Batches) > batchesBefore[i])
                    return System.Diagnostics.Stopwatch.GetTimestamp();
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
