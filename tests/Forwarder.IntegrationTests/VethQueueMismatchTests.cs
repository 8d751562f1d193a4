using Forwarder.IntegrationTests.Infrastructure;

namespace Forwarder.IntegrationTests;

/// <summary>
/// A veth refuses native XDP on a side with fewer RX queues than its peer has TX queues (ENOSPC): the forwarder
/// says so and how to fix it, leaves nothing attached, and the generic mode it suggests works on the same pair.
/// </summary>
public sealed class VethQueueMismatchTests
{
    private const string Device = "m0";
    private const string Peer = "m1";

    [RootFact]
    public void Native_attach_refused_for_queue_counts_names_the_rule_and_the_way_out()
    {
        RootGuard.Require();
        using NetworkNamespace ns = NetworkNamespace.Create($"{NamespaceNames.NextPrefix()}-vq");
        // m0 receives on 1 queue, m1 sends on 2: native XDP on m0 is refused.
        ns.Ip("link", "add", Device, "numrxqueues", "1", "numtxqueues", "1", "type", "veth", "peer", "name", Peer, "numrxqueues", "2", "numtxqueues", "2");
        ns.Ip("link", "set", Device, "up");
        ns.Ip("link", "set", Peer, "up");
        var options = new ForwarderOptions(Device, "02:00:00:00:00:01", ["10.100.0.1:80/tcp"]) { Queues = "0", Cores = "0" };

        using (ForwarderProcess refused = ForwarderProcess.Start(ns, options))
        {
            int exitCode = refused.WaitForExit(ForwarderProcess.ReadyTimeout);
            Assert.True(exitCode == 1, $"exit code {exitCode}, not 1.\n{refused.Describe()}");
            Assert.True(refused.Stderr.Contains("failed: ENOSPC", StringComparison.Ordinal)
                        && refused.Stderr.Contains("as many RX queues on this side as the peer has TX queues", StringComparison.Ordinal)
                        && refused.Stderr.Contains("numrxqueues/numtxqueues", StringComparison.Ordinal)
                        && refused.Stderr.Contains("--xdp-mode skb", StringComparison.Ordinal),
                $"the refusal does not explain itself.\n{refused.Describe()}");
        }
        Assert.True(XdpAttachment.ProgramOn(ns, Device) is null, $"a refused start left a program:\n{XdpAttachment.Describe(ns, Device)}");

        using ForwarderProcess generic = ForwarderProcess.Start(ns, options with { XdpMode = "skb" });
        generic.WaitForReady();
        Assert.Equal(0, generic.Stop());
        Assert.Null(XdpAttachment.ProgramOn(ns, Device));
    }
}
