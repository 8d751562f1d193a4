using Forwarder.IntegrationTests.Infrastructure;

namespace Forwarder.IntegrationTests.LoadBalancing;

/// <summary>
/// A <see cref="BackendPoolTopology"/> with `forwarder run --config FILE` serving the VIP in lb. Dispose
/// tears down all of it, in reverse order, whatever state the test left it in.
/// </summary>
public sealed class LoadBalancerUnderTest : IDisposable
{
    private ForwarderConfigFile? _config;
    private ForwarderProcess? _forwarder;

    private LoadBalancerUnderTest(BackendPoolTopology topology) => Topology = topology;

    public BackendPoolTopology Topology { get; }
    public IReadOnlyList<Backend> Backends => Topology.Backends;
    public ForwarderProcess Forwarder => _forwarder ?? throw new InvalidOperationException("the forwarder was not started");

    /// <param name="vip">More settings of the VIP (see <see cref="ForwarderConfigFile.Write"/>).</param>
    /// <param name="runOptions">More options of `forwarder run` (e.g. --api).</param>
    /// <param name="vipPort">The VIP's port; 0 = every port.</param>
    /// <param name="vipProtocol">The VIP's protocol: tcp, udp or any.</param>
    /// <param name="moreVips">More entries of <c>vips</c> (see <see cref="ForwarderConfigFile.Write"/>).</param>
    public static LoadBalancerUnderTest Start(LoadBalancingMode mode, Action<VipBuilder>? vip = null, IReadOnlyList<string>? runOptions = null,
        int vipPort = BackendPoolTopology.VipPort, string vipProtocol = "tcp", string? moreVips = null)
    {
        var lab = new LoadBalancerUnderTest(BackendPoolTopology.Create(mode));
        try
        {
            lab._config = ForwarderConfigFile.Write(lab.Topology, vip, vipPort, vipProtocol, moreVips);
            lab._forwarder = ForwarderProcess.Start(lab.Topology.LoadBalancer, ["run", "--config", lab._config.Path, .. runOptions ?? []]);
            lab._forwarder.WaitForReady();
            return lab;
        }
        catch
        {
            lab.Dispose();
            throw;
        }
    }

    /// <summary>Stops the forwarder with SIGTERM and returns its FINAL report; throws with its output unless it exits with 0.</summary>
    public ForwarderReport Stop()
    {
        int exitCode = Forwarder.Stop();
        if (exitCode != 0)
            throw new InvalidOperationException($"the forwarder exited with {exitCode}.\n{Describe()}");
        return Forwarder.Report();
    }

    /// <summary>The forwarder's last FINAL line, with the drops by reason that <see cref="ForwarderReport"/> sums.</summary>
    public string FinalLine => Forwarder.StdoutLines.LastOrDefault(l => l.StartsWith(ForwarderReport.Marker, StringComparison.Ordinal)) ?? "(no FINAL line)";

    /// <summary>Requests each backend's nginx answered so far, by backend name.</summary>
    public IReadOnlyDictionary<string, int> RequestsServed() => Backends.ToDictionary(b => b.Name, b => b.Nginx.RequestsServed);

    /// <summary>Waits (bounded) until the backends' access logs hold <paramref name="total"/> requests: a log line is written just after the answer.</summary>
    public bool WaitForRequestsServed(int total) =>
        Wait.Until(() => RequestsServed().Values.Sum() >= total, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(20));

    /// <summary>The configuration file the forwarder runs with (rewrite it and send SIGHUP to reload).</summary>
    public string ConfigPath => _config?.Path ?? throw new InvalidOperationException("the forwarder was not started");

    public string Describe() =>
        $"config {_config?.Path}:\n{_config?.Text}\n{_forwarder?.Describe() ?? "(forwarder not started)"}";

    public void Dispose()
    {
        _forwarder?.Dispose();
        _config?.Dispose();
        Topology.Dispose();
    }
}
