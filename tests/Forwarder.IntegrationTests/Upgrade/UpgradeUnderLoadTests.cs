using Forwarder.IntegrationTests.Infrastructure;
using Xunit.Abstractions;
using static Forwarder.IntegrationTests.Infrastructure.LoadBalancerTopology;

namespace Forwarder.IntegrationTests.Upgrade;

/// <summary>
/// Upgrades under a steady offered load: datagrams numbered per run stream through the forwarder (two queues, one
/// worker each) while it is upgraded three times in a row to the same binary (SIGUSR2). Every datagram reaches the
/// sink exactly once, and the last process's counters, carried across the hand-overs, count every frame.
/// </summary>
public sealed class UpgradeUnderLoadTests(ITestOutputHelper output)
{
    /// <summary>Well below what the forwarder does on a busy two-core machine (about 30–60 kpps in copy mode).</summary>
    private const int PacketsPerSecond = 10_000;


    [RootFact]
    public void Three_upgrades_in_a_row_lose_no_datagram()
    {
        using LoadBalancerTopology topology = Create();
        using UdpReceiver sink = UdpReceiver.Start(topology.Sink, VipEndpoint);
        using UdpSender client = UdpSender.Create(topology.Client, sourcePorts: 16);
        // Rings of 8192 hold ~800 ms of this load per queue: margin for a successor's first batch on a busy machine.
        using ForwarderProcess forwarder = ForwarderProcess.Start(topology.LoadBalancer,
            topology.ForwarderOptions() with { StatsIntervalSeconds = 0, Extra = ["--ring-size", "8192", "--frames", "16384"] });
        forwarder.WaitForReady();
        using var chain = new UpgradeProcesses(forwarder);

        using var load = new SteadyLoad(client, VipEndpoint, PacketsPerSecond);
        Thread.Sleep(1000);
        for (int upgrade = 1; upgrade <= 3; upgrade++)
        {
            chain.UpgradeBySignal(TimeSpan.FromSeconds(60));
            output.WriteLine($"upgrade {upgrade}: pid {chain.Current} forwards; gap {Describe(chain.Gaps[^1])}: {chain.Timelines[^1]}");
            Thread.Sleep(1000);
        }
        long offered = load.StopAndCheck(sink, () => $"gaps {string.Join(", ", chain.Gaps.Select(Describe))}\n{forwarder.Describe()}");
        chain.StopCurrent(TimeSpan.FromSeconds(15));
        output.WriteLine($"offered {offered} datagrams at {PacketsPerSecond}/s; received {offered}, 0 lost, 0 duplicated; " +
            $"forwarding gaps (the predecessor's workers told to stop → the successor's first batch): {string.Join(", ", chain.Gaps.Select(Describe))}");
        ForwarderReport report = ForwarderReport.Parse(forwarder.StdoutLines);
        output.WriteLine(report.ToString());
        Assert.True(report.TotalRx >= offered, $"the counters carried across the upgrades count {report.TotalRx} received of {offered}: {report}");
        Assert.True(report.TotalDrops == 0, $"drops: {report}");
        Assert.Equal(3, chain.Gaps.Count);
    }

    private static string Describe(double? gap) => gap is { } g ? $"{g:0.0} ms" : "no first batch reported (none within 0.5 s of the take-over)";
}
