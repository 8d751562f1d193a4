using Forwarder.IntegrationTests.Infrastructure;
using Xunit.Abstractions;
using static Forwarder.IntegrationTests.Infrastructure.LoadBalancerTopology;

namespace Forwarder.IntegrationTests.Upgrade;

/// <summary>
/// A backend down before an upgrade is down in the successor from its start, from the mark its predecessor handed over
/// (its log says so), not first taken as healthy until its own probe fails. The backend's check probes a port nothing
/// listens on, every 2 s: the predecessor marks it down within one interval.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class UpgradeHealthMarksTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fwt-upgrade-health-").FullName;

    [RootFact]
    public void A_backend_down_before_an_upgrade_starts_down_in_the_successor()
    {
        using LoadBalancerTopology topology = Create();
        string config = ConfiguredForwarder.WriteConfig(topology, _directory, """
                healthcheck:
                  type: tcp
                  port: 9
                  interval_ms: 2000
                  timeout_ms: 500
            """);
        using ForwarderProcess forwarder = ForwarderProcess.Start(topology.LoadBalancer, ["run", "--config", config, "--stats-interval", "0"]);
        forwarder.WaitForReady();
        using var chain = new UpgradeProcesses(forwarder);
        Assert.True(Wait.Until(() => Lines(forwarder, "is down").Count > 0, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(50)),
            $"the backend was not marked down before the upgrade\n{forwarder.Describe()}");

        chain.UpgradeBySignal(TimeSpan.FromSeconds(90));

        Assert.True(Wait.Until(() => Lines(forwarder, "down before the upgrade").Count > 0, TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(50)),
            $"the successor did not start from the mark handed over\n{forwarder.Describe()}");
        output.WriteLine(string.Join('\n', Lines(forwarder, "is down")));
        chain.StopCurrent(TimeSpan.FromSeconds(15));
    }

    private static List<string> Lines(ForwarderProcess forwarder, string text) =>
        forwarder.StdoutLines.Where(l => l.Contains(text, StringComparison.Ordinal)).ToList();

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
