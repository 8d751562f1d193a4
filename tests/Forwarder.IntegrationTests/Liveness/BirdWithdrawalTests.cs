using System.Diagnostics;
using Forwarder.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Forwarder.IntegrationTests.Liveness;

/// <summary>
/// The liveness device with the real BIRD 2 on both sides of an eBGP session: the node announces the VIP
/// <c>via "fwdbird0"</c> from a static protocol, the router installs it in its kernel table. A drain withdraws it at
/// once while the forwarder still runs; <c>kill -9</c> withdraws it as fast.
/// </summary>
public sealed class BirdWithdrawalTests(ITestOutputHelper output)
{
    private const string Device = "fwdbird0";
    private const string Vip = "10.100.0.1";
    private static readonly TimeSpan WithdrawalBound = TimeSpan.FromSeconds(1);

    private const string NodeConfiguration = """
        router id 10.32.0.2;
        protocol device { scan time 1; }
        protocol static fwd_vips { ipv4; route 10.100.0.1/32 via "fwdbird0"; }
        protocol bgp rtr { local 10.32.0.2 as 65001; neighbor 10.32.0.1 as 65000; direct; hold time 3; keepalive time 1;
          connect retry time 1; error wait time 1, 10; graceful restart off;
          ipv4 { import none; export where proto = "fwd_vips"; next hop self; }; }
        """;

    private const string RouterConfiguration = """
        router id 10.32.0.1;
        protocol device { scan time 1; }
        protocol kernel { ipv4 { import none; export all; }; }
        protocol bgp n1 { local 10.32.0.1 as 65000; neighbor 10.32.0.2 as 65001; direct; hold time 3; keepalive time 1;
          connect retry time 1; error wait time 1, 10; ipv4 { import all; export none; }; }
        """;

    [RootFact]
    public void A_drain_and_kill_9_each_withdraw_the_vip_at_the_router()
    {
        string prefix = NamespaceNames.NextPrefix();
        using NetworkNamespace router = NetworkNamespace.Create($"{prefix}-brtr");
        using NetworkNamespace node = NetworkNamespace.Create($"{prefix}-bnode");
        router.Ip("link", "add", "r0", "type", "veth", "peer", "name", "n0", "netns", node.Name);
        router.Ip("addr", "add", "10.32.0.1/24", "dev", "r0");
        node.Ip("addr", "add", "10.32.0.2/24", "dev", "n0");
        router.Ip("link", "set", "r0", "up");
        node.Ip("link", "set", "n0", "up");
        using BirdDaemon routerBird = BirdDaemon.Start(router, RouterConfiguration);
        using BirdDaemon nodeBird = BirdDaemon.Start(node, NodeConfiguration);
        var options = new ForwarderOptions("n0", router.MacOf("r0"), [$"{Vip}:80/tcp"])
        {
            Queues = "0",
            Cores = "0",
            StatsIntervalSeconds = 0,
            Extra = ["--liveness-device", Device, "--drain-quiet", "2"],
        };

        using (ForwarderProcess drained = ForwarderProcess.Start(node, options))
        {
            drained.WaitForReady();
            drained.WaitUntil(() => Announced(router), $"{Vip} announced to the router", TimeSpan.FromSeconds(20));
            var sinceTerm = Stopwatch.StartNew();
            drained.Signal(LibC.SIGTERM);
            bool withdrawn = Wait.Until(() => !Announced(router), WithdrawalBound, TimeSpan.FromMilliseconds(10));
            output.WriteLine($"drain: withdrawn after {sinceTerm.ElapsedMilliseconds} ms (bounded by {WithdrawalBound.TotalMilliseconds} ms)");
            Assert.True(withdrawn, $"{Vip} still routed at the router {WithdrawalBound.TotalSeconds} s after SIGTERM:\n{Routes(router)}\n{drained.Describe()}");
            Assert.False(drained.HasExited, $"the forwarder stopped before the quiet time: the withdrawal came from its end, not the drain.\n{drained.Describe()}");
            Assert.Equal(0, drained.WaitForExit(ForwarderProcess.ExitTimeout));
        }

        using ForwarderProcess killed = ForwarderProcess.Start(node, options);
        killed.WaitForReady();
        killed.WaitUntil(() => Announced(router), $"{Vip} announced again", TimeSpan.FromSeconds(20));
        var sinceKill = Stopwatch.StartNew();
        killed.Signal(LibC.SIGKILL);
        bool gone = Wait.Until(() => !Announced(router), WithdrawalBound, TimeSpan.FromMilliseconds(10));
        output.WriteLine($"kill -9: withdrawn after {sinceKill.ElapsedMilliseconds} ms");
        Assert.True(gone, $"{Vip} still routed at the router {WithdrawalBound.TotalSeconds} s after SIGKILL:\n{Routes(router)}");
        killed.WaitForExit(ForwarderProcess.ExitTimeout);
    }

    private static bool Announced(NetworkNamespace router) => Routes(router).Contains("proto bird", StringComparison.Ordinal);

    private static string Routes(NetworkNamespace router) => router.Ip("route", "show", $"{Vip}/32").Stdout;
}
