using System.Diagnostics;
using Forwarder.Hosting.Privileges;
using Forwarder.Interop;
using Microsoft.Extensions.Logging;

namespace Forwarder.Hosting.Upgrade;

/// <summary>
/// The running forwarder's side of an upgrade (<c>forwarder upgrade</c>, <c>POST /upgrade</c>, SIGUSR2), one at a time:
/// <list type="number">
/// <item>start the successor holding copies of every descriptor and the running configuration; the workers go on;</item>
/// <item>wait (<see cref="ReadyTimeout"/>) for its <c>ready</c>: it has started, loaded and checked everything, its
/// workers built and waiting; if it exits or says nothing in time, it is killed and nothing here ever stopped;</item>
/// <item>keep the workers from sleeping, then stop them at a batch boundary, send each queue's free frames and counters
/// (no garbage collection meanwhile, <see cref="HandOverGc"/>);</item>
/// <item>wait (<see cref="RunningTimeout"/>) for <c>running</c>, the point of no return: from then on the queues are the
/// successor's, and this process leaves (<see cref="HandedOver"/>) without detaching or closing anything the successor
/// uses. Without it the successor is killed (and reaped) before a ring is touched again, and the workers resume where
/// they stopped: the successor writes to no ring before it says <c>running</c>. After <c>running</c> the per-VIP, per-backend
/// and connection-table totals follow (<see cref="CarriedTotals"/>), off the forwarding gap.</item>
/// </list>
/// </summary>
public sealed class UpgradeCoordinator(IHandOverSource host, ILogger log, Action handedOver)
{
    /// <summary>How long the successor may take to start and say <c>ready</c> (.NET start-up, loading, checks).</summary>
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    /// <summary>How long, once the workers stopped, the successor may take to take their state.</summary>
    public static readonly TimeSpan RunningTimeout = TimeSpan.FromSeconds(2);

    private int _running;
    private long _rolledBack;

    /// <summary>Upgrades that failed and were rolled back (this process went on serving).</summary>
    public long RolledBack => Interlocked.Read(ref _rolledBack);

    /// <summary>Set once the queues are the successor's; the process must then leave at once, through <see cref="UpgradeExit"/>.</summary>
    public bool HandedOver { get; private set; }

    /// <summary>The control API's listening socket, handed to the successor with the rest; -1 without an API (it then binds its own).</summary>
    public int ApiListenerFd { get; set; } = -1;

    /// <summary>The successor's pid once <see cref="HandedOver"/>.</summary>
    public int SuccessorPid { get; private set; }

    /// <summary>Runs one upgrade to <paramref name="binary"/> (null: the running one); a second while one runs is refused.</summary>
    public UpgradeOutcome Run(string? binary, string trigger)
    {
        if (Interlocked.Exchange(ref _running, 1) == 1)
            return Log(new UpgradeOutcome(UpgradeOutcome.Refused, "an upgrade is running already: wait for its answer"), trigger);
        try
        {
            if (HandedOver)
                return Log(new UpgradeOutcome(UpgradeOutcome.Refused, "this forwarder has handed over to its successor already"), trigger);
            return Log(Upgrade(binary, trigger), trigger);
        }
        finally
        {
            if (!HandedOver)
                Volatile.Write(ref _running, 0);
        }
    }

    /// <summary><see cref="Run"/>, answered as the API answers it.</summary>
    public Forwarder.Api.UpgradeReply RunForApi(string? binary, string trigger)
    {
        UpgradeOutcome outcome = Run(binary, trigger);
        return new Forwarder.Api.UpgradeReply(outcome.Result, outcome.Message, outcome.SuccessorPid, outcome.PauseMilliseconds, RolledBack);
    }

    private UpgradeOutcome Log(UpgradeOutcome outcome, string trigger)
    {
        if (outcome.Succeeded)
            log.Upgraded(trigger, outcome.SuccessorPid ?? 0, outcome.PauseMilliseconds ?? 0);
        else
            log.UpgradeNotDone(trigger, outcome.ToString());
        return outcome;
    }

    private unsafe UpgradeOutcome Upgrade(string? binary, string trigger)
    {
        (string executable, IReadOnlyList<string> arguments) command;
        try
        {
            command = UpgradeLauncher.CommandLine(binary);
        }
        catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException)
        {
            return new UpgradeOutcome(UpgradeOutcome.Refused, e.Message);
        }
        int* pair = stackalloc int[2];
        if (Posix.SocketPair(Posix.AF_UNIX, Posix.SOCK_STREAM | Posix.O_CLOEXEC, 0, pair) != 0)
            return new UpgradeOutcome(UpgradeOutcome.Refused, "socketpair failed: " + System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(System.Runtime.InteropServices.Marshal.GetLastPInvokeError()));
        using var channel = new UpgradeChannel(pair[0]);
        Process successor;
        int configFd = -1;
        try
        {
            string? yaml = host.RunningConfigYaml;
            if (yaml is not null)
                configFd = UpgradeConfig.Write(yaml);
            IReadOnlyList<int>? cores = StartupIsolation.CoresBeside(host.WorkerCores);
            bool nice = StartupIsolation.CanUndoNice();
            log.UpgradeStarting(trigger, command.executable, StartupIsolation.Describe(cores, nice));
            InheritedSetup held = host.DescribeForSuccessor() with { ApiFd = ApiListenerFd };
            string? healthMarks = host.HealthMarks;
            IReadOnlyList<int> cpus = AfXdp.CpuAffinity.AllowedCpus();
            successor = StartupIsolation.Start(cores, nice, () => UpgradeLauncher.Start(command.executable, command.arguments, held, pair[1], configFd, healthMarks, cpus));
        }
        catch (Exception e) when (e is ArgumentException or IOException or InvalidOperationException)
        {
            return new UpgradeOutcome(UpgradeOutcome.Refused, e.Message);
        }
        finally
        {
            Posix.Close(pair[1]);
            if (configFd >= 0)
                Posix.Close(configFd);
        }
        using (successor)
        {
            string? ready = channel.Receive(ReadyTimeout);
            if (ready != UpgradeMessages.Ready)
                return RollBack(successor, ready is null ? NotReady(successor) : $"the new process answered '{ready}' instead of ready", stopped: false, 0);

            UpgradeMessages.WarmUp();
            IReadOnlyList<QueueHandOver> rehearsal = host.PrepareForStop();
            var timeline = new HandOverTimeline();
            timeline.Mark(HandOverStep.StopRequested);
            _ = UpgradeMessages.State(rehearsal, host.FrameSize, timeline); // the formatting's code run once with real sizes
            string? answer;
            using (var quiet = HandOverGc.Quiet())
            {
                timeline.Mark(HandOverStep.StopRequested);
                IReadOnlyList<QueueHandOver> state = host.StopForHandOver(timeline);
                timeline.Mark(HandOverStep.StateRead);
                answer = channel.Send([.. UpgradeMessages.State(state, host.FrameSize, timeline)]) ? channel.Receive(RunningTimeout) : null;
            }
            double pause = Stopwatch.GetElapsedTime(timeline[HandOverStep.StopRequested]).TotalMilliseconds;
            if (answer != UpgradeMessages.Running)
            {
                string why = answer is null ? $"the new process (pid {successor.Id}) died or hung during the hand-over" : $"the new process refused the hand-over: {answer}";
                return RollBack(successor, why, stopped: true, pause);
            }
            // The queues are the successor's: its workers run. What it counts from is sent now, off the gap.
            SendTotals(channel, successor.Id, trigger);
            SuccessorPid = successor.Id;
            HandedOver = true;
            handedOver();
            return new UpgradeOutcome(UpgradeOutcome.Upgraded, $"pid {successor.Id} forwards now; the workers paused {pause:0.0} ms", successor.Id, pause);
        }
    }

    /// <summary>Sends the totals the successor counts on from; past the point of no return, so nothing here may stop the hand-over.</summary>
    private void SendTotals(UpgradeChannel channel, int successorPid, string trigger)
    {
        try
        {
            if (!channel.Send([.. CarriedTotals.Format(host.ReadCarriedCounters())]))
                log.UpgradeNotDone(trigger, $"the totals were not carried: the new process (pid {successorPid}) closed the hand-over socket");
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or IOException or ObjectDisposedException)
        {
            log.UpgradeNotDone(trigger, $"the totals were not carried ({e.Message}); the new process (pid {successorPid}) forwards all the same");
        }
    }

    /// <summary>Kills the successor and waits for it to be gone, then resumes the workers if they were stopped.</summary>
    private UpgradeOutcome RollBack(Process successor, string why, bool stopped, double pause)
    {
        try
        {
            if (!successor.HasExited)
                successor.Kill();
            successor.WaitForExit(5000);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
        }
        if (stopped)
            host.ResumeAfterRollBack();
        Interlocked.Increment(ref _rolledBack);
        return new UpgradeOutcome(UpgradeOutcome.RolledBack, why + (stopped ? $"; the workers resumed after {pause:0.0} ms" : "; forwarding never stopped"),
            successor.Id, stopped ? pause : null);
    }

    private static string NotReady(Process successor)
    {
        if (successor.WaitForExit(200))
            return $"the new process exited with code {successor.ExitCode} before it was ready (its own error is in its output)";
        return $"the new process (pid {successor.Id}) was not ready within {ReadyTimeout.TotalSeconds:0} s";
    }
}
