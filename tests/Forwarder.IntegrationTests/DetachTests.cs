using Forwarder.IntegrationTests.Infrastructure;
using static Forwarder.IntegrationTests.Infrastructure.LoadBalancerTopology;

namespace Forwarder.IntegrationTests;

/// <summary>However the forwarder ends short of being killed, it leaves no XDP program on the interface.</summary>
public sealed class DetachTests
{
    [RootFact]
    public void Sigterm_detaches_the_program() => AssertStopDetaches(LibC.SIGTERM);

    [RootFact]
    public void Sigint_detaches_the_program() => AssertStopDetaches(LibC.SIGINT);

    [RootFact]
    public void Sigterm_detaches_a_generic_mode_program() => AssertStopDetaches(LibC.SIGTERM, xdpMode: "skb");

    [RootFact]
    public void A_start_that_fails_during_setup_leaves_nothing_attached_and_blocks_no_restart()
    {
        using LoadBalancerTopology topology = Create();
        // veth has no zero-copy AF_XDP: binding the sockets fails part-way through setup.
        using (ForwarderProcess failed = ForwarderProcess.Start(
                   topology.LoadBalancer, topology.ForwarderOptions() with { Extra = ["--zero-copy", "on"] }))
        {
            int exitCode = failed.WaitForExit(ForwarderProcess.ReadyTimeout);
            Assert.True(exitCode != 0, $"zero-copy on a veth did not fail.\n{failed.Describe()}");
            Assert.DoesNotContain(failed.StdoutLines, line => line.StartsWith(ForwarderProcess.ReadyMarker, StringComparison.Ordinal));
        }
        Assert.True(XdpAttachment.ProgramOn(topology.LoadBalancer, LbInterface) is null,
            $"a failed start left a program:\n{XdpAttachment.Describe(topology.LoadBalancer, LbInterface)}");

        using ForwarderProcess restarted = ForwarderProcess.Start(topology.LoadBalancer, topology.ForwarderOptions());
        restarted.WaitForReady();
        Assert.Equal(0, restarted.Stop());
        Assert.Null(XdpAttachment.ProgramOn(topology.LoadBalancer, LbInterface));
    }

    private static void AssertStopDetaches(int signal, string? xdpMode = null)
    {
        using LoadBalancerTopology topology = Create();
        using ForwarderProcess forwarder = ForwarderProcess.Start(
            topology.LoadBalancer, topology.ForwarderOptions() with { XdpMode = xdpMode });
        forwarder.WaitForReady();
        string? attached = XdpAttachment.ProgramOn(topology.LoadBalancer, LbInterface);
        Assert.True(attached?.Contains(XdpAttachment.ForwarderProgramName) == true,
            $"READY but the forwarder's program is not on {LbInterface}:\n{XdpAttachment.Describe(topology.LoadBalancer, LbInterface)}");

        int exitCode = forwarder.Stop(signal);

        Assert.True(exitCode == 0, $"exit code {exitCode} after signal {signal}.\n{forwarder.Describe()}");
        forwarder.Report(); // a graceful stop prints its counters
        Assert.True(XdpAttachment.ProgramOn(topology.LoadBalancer, LbInterface) is null,
            $"still attached after signal {signal}:\n{XdpAttachment.Describe(topology.LoadBalancer, LbInterface)}");
    }
}
