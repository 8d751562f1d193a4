using System.Globalization;
using Forwarder.IntegrationTests.Infrastructure;
using Forwarder.IntegrationTests.LoadBalancing;

namespace Forwarder.IntegrationTests.Signals;

/// <summary>
/// A forwarder started with its control signals ignored — `nohup` ignores SIGHUP, a shell's `cmd &amp;` without job
/// control ignores SIGINT — still reloads on SIGHUP and stops on SIGINT. Before, .NET kept them ignored: a SIGHUP
/// reloaded nothing and a SIGINT left the forwarder running, without a word.
/// </summary>
public sealed class IgnoredSignalsTests
{
    /// <summary>SIGHUP 1, SIGINT 2, SIGUSR2 12, SIGTERM 15.</summary>
    private static readonly int[] ControlSignals = [1, 2, 12, 15];

    [RootFact]
    public void Sighup_reloads_and_sigint_stops_a_forwarder_started_with_them_ignored()
    {
        using BackendPoolTopology topology = BackendPoolTopology.Create(LoadBalancingMode.Ipip);
        using ForwarderConfigFile config = ForwarderConfigFile.Write(topology);
        using ForwarderProcess forwarder = ForwarderProcess.StartWithSignalsIgnored(
            topology.LoadBalancer, ["run", "--config", config.Path], "HUP INT TERM USR2");
        forwarder.WaitForReady();

        ulong ignored = SignalMask(forwarder.Pid, "SigIgn");
        Assert.All(ControlSignals, signal => Assert.True((ignored & (1UL << (signal - 1))) == 0,
            $"signal {signal} is still ignored (SigIgn {ignored:x16})\n{forwarder.Describe()}"));

        // SIGHUP reloads once the control surface is up (before that it is ignored on purpose): it starts with the API.
        forwarder.WaitUntil(() => forwarder.StdoutLines.Any(l => l.Contains("control API listening", StringComparison.Ordinal)), "serving its API");
        forwarder.Signal(LibC.SIGHUP);
        forwarder.WaitUntil(() => forwarder.StdoutLines.Any(l => l.Contains("(SIGHUP)", StringComparison.Ordinal)), "reloaded on SIGHUP",
            TimeSpan.FromSeconds(10));

        Assert.Equal(0, forwarder.Stop(LibC.SIGINT));
        forwarder.Report(); // a graceful stop prints its counters
        Assert.Null(XdpAttachment.ProgramOn(topology.LoadBalancer, BackendPoolTopology.LbInterface));
    }

    /// <summary>A mask line of /proc/PID/status (SigIgn, SigBlk, ...): bit N - 1 is signal N.</summary>
    private static ulong SignalMask(int pid, string name)
    {
        string line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(name + ":", StringComparison.Ordinal));
        return ulong.Parse(line[(name.Length + 1)..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }
}
