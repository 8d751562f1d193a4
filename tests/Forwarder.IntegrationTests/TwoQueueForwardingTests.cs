using Forwarder.IntegrationTests.Infrastructure;
using Xunit.Abstractions;
using static Forwarder.IntegrationTests.Infrastructure.LoadBalancerTopology;

namespace Forwarder.IntegrationTests;

/// <summary>Real datagrams over two rx queues, one worker per queue, each pinned to its own core.</summary>
public sealed class TwoQueueForwardingTests(ITestOutputHelper output)
{
    private const int Datagrams = 20_000;
    private const int PacketsPerSecond = 20_000;

    [RootFact]
    public void Every_datagram_of_many_flows_reaches_sink_through_both_queues()
    {
        using LoadBalancerTopology topology = Create();
        using UdpReceiver sink = UdpReceiver.Start(topology.Sink, VipEndpoint);
        // 64 source ports: the flow hash on rtr spreads them over both queues of the lb link.
        using UdpSender client = UdpSender.Create(topology.Client, sourcePorts: 64);
        using ForwarderProcess forwarder = ForwarderProcess.Start(
            topology.LoadBalancer, topology.ForwarderOptions() with { Queues = "0,1", Cores = "0,1" });
        forwarder.WaitForReady();

        Assert.True(Wait.Until(() => HasThreadPinnedTo(forwarder.Pid, "0") && HasThreadPinnedTo(forwarder.Pid, "1"), TimeSpan.FromSeconds(2)),
            "no pair of threads pinned to CPU 0 and CPU 1: " +
            string.Join(", ", ThreadAffinity.Of(forwarder.Pid).Select(t => $"{t.Name}({t.Tid}):{t.CpusAllowed}")));

        uint run = DatagramPayload.NewRunId();
        TimeSpan sending = client.Send(VipEndpoint, run, Datagrams, PacketsPerSecond);
        // The last datagrams may still be in rings and queues when the sender returns.
        bool allArrived = sink.WaitFor(run, Datagrams, TimeSpan.FromSeconds(10));
        Assert.Equal(0, forwarder.Stop());
        ForwarderReport report = forwarder.Report();
        output.WriteLine($"sent {Datagrams} in {sending.TotalMilliseconds:0} ms; sink got {sink.CountOf(run)}; {report}");

        Assert.True(allArrived,
            $"sink got {sink.CountOf(run)} of {Datagrams}; first missing: {string.Join(',', sink.Missing(run, Datagrams))}; forwarder: {report}");
        Assert.Equal(0, sink.Duplicates);
        Assert.True(report.Queue(0).Rx > 0 && report.Queue(1).Rx > 0, $"the datagrams did not use both queues: {report}");
        Assert.True(report.TotalRx >= Datagrams, $"rx < {Datagrams}: {report}");
        Assert.True(report.TotalTx >= Datagrams, $"tx < {Datagrams}: {report}");
        Assert.True(report.TotalDrops == 0, $"drops although every datagram arrived: {report}");
    }

    private static bool HasThreadPinnedTo(int pid, string cpu) =>
        ThreadAffinity.Of(pid).Any(thread => thread.CpusAllowed == cpu);
}
