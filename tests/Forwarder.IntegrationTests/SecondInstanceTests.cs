using Forwarder.IntegrationTests.Infrastructure;
using static Forwarder.IntegrationTests.Infrastructure.LoadBalancerTopology;

namespace Forwarder.IntegrationTests;

/// <summary>One forwarder per interface: a second one is refused and does not disturb the first.</summary>
public sealed class SecondInstanceTests
{
    private const string RefusalMessage = "already served by another instance";

    [RootFact]
    public void A_second_instance_is_refused_and_the_first_keeps_forwarding()
    {
        using LoadBalancerTopology topology = Create();
        using UdpReceiver sink = UdpReceiver.Start(topology.Sink, VipEndpoint);
        using UdpSender client = UdpSender.Create(topology.Client, sourcePorts: 8);
        using ForwarderProcess first = ForwarderProcess.Start(topology.LoadBalancer, topology.ForwarderOptions());
        first.WaitForReady();
        string? firstProgram = XdpAttachment.ProgramOn(topology.LoadBalancer, LbInterface);
        Assert.NotNull(firstProgram);

        using (ForwarderProcess second = ForwarderProcess.Start(topology.LoadBalancer, topology.ForwarderOptions()))
        {
            int exitCode = second.WaitForExit(ForwarderProcess.ReadyTimeout);
            Assert.True(exitCode == 1, $"the second instance exited with {exitCode}, not 1.\n{second.Describe()}");
            Assert.True(second.Stderr.Contains(RefusalMessage, StringComparison.Ordinal),
                $"the second instance's stderr lacks \"{RefusalMessage}\".\n{second.Describe()}");
            Assert.DoesNotContain(second.StdoutLines, line => line.StartsWith(ForwarderProcess.ReadyMarker, StringComparison.Ordinal));
        }

        Assert.False(first.HasExited, $"the first instance stopped.\n{first.Describe()}");
        Assert.Equal(firstProgram, XdpAttachment.ProgramOn(topology.LoadBalancer, LbInterface)); // untouched by the refused one
        uint run = DatagramPayload.NewRunId();
        client.Send(VipEndpoint, run, count: 200);
        Assert.True(sink.WaitFor(run, 200, TimeSpan.FromSeconds(5)),
            $"after the refusal sink got {sink.CountOf(run)} of 200 VIP datagrams.\n{first.Describe()}\n" +
            XdpAttachment.Describe(topology.LoadBalancer, LbInterface));

        Assert.Equal(0, first.Stop());
        ForwarderReport report = first.Report();
        Assert.True(report.Xdp.Redirected >= 200 && report.TotalTx >= 200, $"the first instance did not forward them: {report}");
    }
}
