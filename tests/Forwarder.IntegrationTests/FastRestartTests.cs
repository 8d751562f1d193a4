using Forwarder.IntegrationTests.Infrastructure;
using Xunit.Abstractions;
using static Forwarder.IntegrationTests.Infrastructure.LoadBalancerTopology;

namespace Forwarder.IntegrationTests;

/// <summary>
/// The gap a crash leaves: under steady VIP traffic the forwarder is killed with SIGKILL and started again. From the
/// new <c>forwarder run</c> until the sink gets the first datagram forwarded again, VIP traffic falls back to the
/// kernel (the program left attached passes what it cannot redirect). Measured from the sink's side against a first
/// start on the same topology in the same run; the bound is generous (a shared machine), the figures are printed.
/// </summary>
public sealed class FastRestartTests(ITestOutputHelper output)
{
    /// <summary>A bound, not the target: the closing figure is the printed one.</summary>
    private static readonly TimeSpan GapBound = TimeSpan.FromSeconds(10);

    [RootFact]
    public void After_sigkill_a_new_run_forwards_again_within_the_bound_and_the_kernel_takes_the_gap()
    {
        using LoadBalancerTopology topology = Create();
        // VIP datagrams that reach lb's kernel (no program, or the killed one's passing them) are delivered there.
        topology.AddVipToLoadBalancer();
        using UdpReceiver sink = UdpReceiver.Start(topology.Sink, VipEndpoint);
        using UdpReceiver lbKernel = UdpReceiver.Start(topology.LoadBalancer, VipEndpoint);
        using UdpSender client = UdpSender.Create(topology.Client, sourcePorts: 8);
        using SteadyTraffic traffic = SteadyTraffic.Start(client, VipEndpoint);
        Assert.True(Wait.Until(() => traffic.FirstReceivedSince(TimeSpan.Zero, lbKernel) is not null, TimeSpan.FromSeconds(5)),
            "lb's kernel got none of the steady VIP traffic before any forwarder ran");

        TimeSpan firstStart = traffic.Clock.Elapsed;
        Gap first;
        using (ForwarderProcess killed = ForwarderProcess.Start(topology.LoadBalancer, topology.ForwarderOptions()))
        {
            first = ForwardingResumes(traffic, sink, lbKernel, killed, firstStart);
            output.WriteLine($"first start: {first}; {StartupLine(killed)}");
            killed.Signal(LibC.SIGKILL);
            killed.WaitForExit(ForwarderProcess.ExitTimeout);
        }
        TimeSpan killedAt = traffic.Clock.Elapsed;
        Assert.True(Wait.Until(() => traffic.FirstReceivedSince(killedAt, lbKernel) is not null, TimeSpan.FromSeconds(5)),
            "after SIGKILL the VIP traffic did not fall back to lb's kernel");

        TimeSpan restart = traffic.Clock.Elapsed;
        using ForwarderProcess successor = ForwarderProcess.Start(topology.LoadBalancer, topology.ForwarderOptions());
        Gap restarted = ForwardingResumes(traffic, sink, lbKernel, successor, restart);
        int toKernelSinceKill = traffic.ReceivedBetween(killedAt, restart + restarted.Elapsed, lbKernel);
        output.WriteLine($"restart after SIGKILL: {restarted}; {toKernelSinceKill} datagrams went to lb's kernel from the kill on; {StartupLine(successor)}");
        output.WriteLine($"restart / first start: {restarted.Elapsed.TotalMilliseconds / first.Elapsed.TotalMilliseconds:0.00}");

        Assert.True(restarted.Elapsed < GapBound, $"forwarding resumed {restarted.Elapsed.TotalMilliseconds:0} ms after the new run (bound {GapBound.TotalSeconds:0} s)\n{successor.Describe()}");
        Assert.True(restarted.ToKernel > 0, "no VIP datagram reached the kernel while the new instance started: the gap was not measured");
        traffic.Dispose();
        Assert.Equal(0, successor.Stop());
        Assert.True(successor.Report().Xdp.Redirected > 0, $"the new instance redirected nothing\n{successor.Describe()}");
    }

    /// <summary>From <paramref name="start"/> (just before the process started) to the first run the sink got, and what lb's kernel got meanwhile.</summary>
    private static Gap ForwardingResumes(SteadyTraffic traffic, UdpReceiver sink, UdpReceiver lbKernel, ForwarderProcess forwarder, TimeSpan start)
    {
        TimeSpan? resumed = null;
        forwarder.WaitUntil(() => (resumed = traffic.FirstReceivedSince(start, sink)) is not null, "the sink got a forwarded VIP datagram", GapBound + TimeSpan.FromSeconds(5));
        TimeSpan gap = resumed!.Value - start;
        return new Gap(gap, traffic.ReceivedBetween(start, resumed.Value, lbKernel));
    }

    /// <summary>The forwarder's own account of its start (logged once its first batch went out).</summary>
    private static string StartupLine(ForwarderProcess forwarder)
    {
        Wait.Until(() => forwarder.StdoutLines.Any(l => l.Contains("start-up (ms since exec)")), TimeSpan.FromSeconds(5));
        return forwarder.StdoutLines.FirstOrDefault(l => l.Contains("start-up (ms since exec)")) ?? "no start-up line";
    }

    private sealed record Gap(TimeSpan Elapsed, int ToKernel)
    {
        public override string ToString() => $"{Elapsed.TotalMilliseconds:0} ms from `forwarder run` to the first datagram forwarded to the sink, {ToKernel} to lb's kernel meanwhile";
    }
}
