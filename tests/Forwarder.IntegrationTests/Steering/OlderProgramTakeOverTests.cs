using Forwarder.IntegrationTests.Infrastructure;
using Xunit.Abstractions;
using static Forwarder.IntegrationTests.Infrastructure.LoadBalancerTopology;

namespace Forwarder.IntegrationTests.Steering;

/// <summary>
/// A steering program of an older release (the hash-map layout, tests/Forwarder.IntegrationTests/Fixtures/redirect_hash_maps.c)
/// left attached, as a killed instance of that release leaves it: a new start replaces it with this binary's program,
/// whose tables it fills, and forwards — it never adopts the older program's maps.
/// </summary>
public sealed class OlderProgramTakeOverTests(ITestOutputHelper output)
{
    private static readonly TimeSpan ArrivalTimeout = TimeSpan.FromSeconds(5);

    private static string OlderObject => Path.Combine(AppContext.BaseDirectory, "fixtures", "redirect_hash_maps.o");

    [RootFact]
    public void A_start_replaces_an_older_program_left_attached_and_forwards()
    {
        using LoadBalancerTopology topology = Create();
        topology.LoadBalancer.Ip("link", "set", "dev", LbInterface, "xdpdrv", "obj", OlderObject, "sec", "xdp");
        string? older = XdpAttachment.ProgramOn(topology.LoadBalancer, LbInterface);
        output.WriteLine($"older program: {older}");
        Assert.True(older?.Contains(XdpAttachment.ForwarderProgramName) == true,
            $"the older program did not attach:\n{XdpAttachment.Describe(topology.LoadBalancer, LbInterface)}");

        using UdpReceiver sink = UdpReceiver.Start(topology.Sink, VipEndpoint);
        using UdpSender client = UdpSender.Create(topology.Client, sourcePorts: 8);
        using ForwarderProcess forwarder = ForwarderProcess.Start(topology.LoadBalancer, topology.ForwarderOptions());
        forwarder.WaitForReady();
        string? replaced = XdpAttachment.ProgramOn(topology.LoadBalancer, LbInterface);
        output.WriteLine($"after the start: {replaced}");
        Assert.NotEqual(older, replaced); // another program id: this binary's

        uint run = DatagramPayload.NewRunId();
        client.Send(VipEndpoint, run, count: 100);
        Assert.True(sink.WaitFor(run, 100, ArrivalTimeout), $"sink got {sink.CountOf(run)} of 100 VIP datagrams.\n{forwarder.Describe()}");
        Assert.Equal(0, forwarder.Stop());
        Assert.Contains("taking over XDP program", forwarder.Stderr + string.Join('\n', forwarder.StdoutLines));
        Assert.True(forwarder.Report().Xdp.Redirected >= 100, $"the VIP datagrams were not redirected: {forwarder.Report()}");
        Assert.True(XdpAttachment.ProgramOn(topology.LoadBalancer, LbInterface) is null,
            $"still attached after SIGTERM:\n{XdpAttachment.Describe(topology.LoadBalancer, LbInterface)}");
    }
}
