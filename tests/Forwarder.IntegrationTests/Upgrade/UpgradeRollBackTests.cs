using Forwarder.IntegrationTests.Infrastructure;
using Xunit.Abstractions;
using static Forwarder.IntegrationTests.Infrastructure.LoadBalancerTopology;

namespace Forwarder.IntegrationTests.Upgrade;

/// <summary>
/// <c>forwarder upgrade</c> against a load-balancing forwarder (a dsr-l2 VIP whose backend's MAC is the router's, so
/// the frames take the same path as plain forwarding) under a steady load: an upgrade to a binary that exits at once
/// rolls back and one to a path that does not exist is refused, both without a datagram lost; then a real upgrade
/// hands the running configuration and the API's socket over, and the new process answers <c>forwarder status</c>.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class UpgradeRollBackTests(ITestOutputHelper output) : IDisposable
{
    private const int PacketsPerSecond = 10_000;

    private readonly string _directory = Directory.CreateTempSubdirectory("fwt-upgrade-").FullName;

    [RootFact]
    public void A_failed_upgrade_rolls_back_without_losing_a_datagram_and_a_real_one_keeps_the_api()
    {
        using LoadBalancerTopology topology = Create();
        using UdpReceiver sink = UdpReceiver.Start(topology.Sink, VipEndpoint);
        using UdpSender client = UdpSender.Create(topology.Client, sourcePorts: 16);
        using ForwarderProcess forwarder = ConfiguredForwarder.Start(topology, _directory);
        string socket = ConfiguredForwarder.SocketIn(_directory);
        using var chain = new UpgradeProcesses(forwarder);
        string exitsAtOnce = Path.Combine(_directory, "exits-at-once.sh");
        File.WriteAllText(exitsAtOnce, "#!/bin/sh\necho 'not a forwarder' >&2\nexit 3\n");
        File.SetUnixFileMode(exitsAtOnce, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        using var load = new SteadyLoad(client, VipEndpoint, PacketsPerSecond);
        Thread.Sleep(1000);

        CommandResult rolledBack = Cli(socket, "upgrade", "--binary", exitsAtOnce);
        output.WriteLine(rolledBack.ToString());
        Assert.Equal(1, rolledBack.ExitCode);
        Assert.Contains("rolled back: the new process exited with code 3", rolledBack.Stderr);
        Assert.Contains("forwarding never stopped", rolledBack.Stderr);

        CommandResult refused = Cli(socket, "upgrade", "--binary", Path.Combine(_directory, "no-such-forwarder"));
        output.WriteLine(refused.ToString());
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("refused: --binary", refused.Stderr);
        Assert.Contains("no such file", refused.Stderr);
        Assert.Equal(forwarder.Pid, chain.Current);
        Assert.False(forwarder.HasExited, "the forwarder left after a failed upgrade");

        CommandResult? upgraded = null;
        chain.Upgrade(() => upgraded = Cli(socket, "upgrade"), TimeSpan.FromSeconds(120));
        output.WriteLine(upgraded!.ToString());
        Assert.True(upgraded.ExitCode == 0, $"{upgraded}\n{forwarder.Describe()}");
        Assert.Equal($"upgraded: pid {chain.Current}", upgraded.Stdout[..$"upgraded: pid {chain.Current}".Length]);
        Assert.True(Wait.Until(() => Cli(socket, "status").ExitCode == 0, TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(200)),
            $"the successor's API did not answer\n{forwarder.Describe()}");
        Thread.Sleep(1000);
        long offered = load.StopAndCheck(sink, forwarder.Describe);
        chain.StopCurrent(TimeSpan.FromSeconds(15));
        output.WriteLine($"offered {offered} datagrams; all received once: 0 lost to the roll-back (none were queued: the workers never stopped), 0 to the upgrade");
    }

    private static CommandResult Cli(string socket, params string[] arguments) => ConfiguredForwarder.Cli(socket, arguments);

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
