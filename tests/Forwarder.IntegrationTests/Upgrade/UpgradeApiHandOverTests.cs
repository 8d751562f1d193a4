using Forwarder.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Forwarder.IntegrationTests.Upgrade;

/// <summary>
/// The API's listening socket crosses an upgrade: <c>GET /status</c>, asked without pause on new connections to the
/// Unix socket while the forwarder is upgraded twice (SIGUSR2), never meets a refused connection, is always answered
/// (at most once asked again, as the forwarder's own client does, when a predecessor closed a connection it had
/// accepted but not read), and goes on being answered once each predecessor has left (so by its successor).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class UpgradeApiHandOverTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fwt-upgrade-api-").FullName;

    [RootFact]
    public void Status_requests_during_upgrades_are_never_refused_and_the_successor_answers_them()
    {
        using LoadBalancerTopology topology = LoadBalancerTopology.Create();
        using ForwarderProcess forwarder = ConfiguredForwarder.Start(topology, _directory);
        using var chain = new UpgradeProcesses(forwarder);
        using var poller = new StatusPoller(ConfiguredForwarder.SocketIn(_directory));
        Assert.True(Wait.Until(() => poller.Answered >= 20, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(20)),
            $"the API did not answer before the upgrade: {string.Join("; ", poller.Failures)}\n{forwarder.Describe()}");

        var answeredAfter = new List<int>();
        for (int upgrade = 1; upgrade <= 2; upgrade++)
        {
            int predecessor = chain.Current;
            chain.UpgradeBySignal(TimeSpan.FromSeconds(90)); // returns once the predecessor has left
            int left = poller.Answered;
            Assert.True(Wait.Until(() => poller.Answered >= left + 20, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(20)),
                $"upgrade {upgrade}: pid {chain.Current}'s API did not answer once {predecessor} left: {string.Join("; ", poller.Failures)}\n{forwarder.Describe()}");
            answeredAfter.Add(poller.Answered - left);
            output.WriteLine($"upgrade {upgrade}: pid {predecessor} → {chain.Current}; {left} answered so far, {poller.Refused} refused");
        }
        poller.Stop();
        chain.StopCurrent(TimeSpan.FromSeconds(15));

        output.WriteLine($"GET /status: {poller.Answered} answered, {poller.Refused} refused, {poller.Retried} asked again, {poller.Failures.Count} failed; " +
            $"answered after each predecessor left: {string.Join(", ", answeredAfter)}");
        Assert.True(poller.Refused == 0 && poller.Failures.Count == 0,
            $"{poller.Refused} refused; failures: {string.Join("; ", poller.Failures)}\n{forwarder.Describe()}");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
