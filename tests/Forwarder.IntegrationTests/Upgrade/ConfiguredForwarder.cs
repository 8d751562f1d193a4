using Forwarder.IntegrationTests.Infrastructure;
using static Forwarder.IntegrationTests.Infrastructure.LoadBalancerTopology;

namespace Forwarder.IntegrationTests.Upgrade;

/// <summary>
/// A load-balancing forwarder on <see cref="LoadBalancerTopology"/>: one dsr-l2 VIP whose only backend's MAC is the
/// router's, so frames take plain forwarding's path to the sink; its API on a Unix socket; rings of 8192 (about 800 ms
/// of the tests' load per queue: margin for a successor's first batch on a busy machine).
/// </summary>
public static class ConfiguredForwarder
{
    public static ForwarderProcess Start(LoadBalancerTopology topology, string directory, params string[] extra)
    {
        string config = WriteConfig(topology, directory);
        string socket = SocketIn(directory);
        ForwarderProcess forwarder = ForwarderProcess.Start(topology.LoadBalancer,
            ["run", "--config", config, "--api", $"unix:{socket}", "--stats-interval", "0", "--ring-size", "8192", "--frames", "16384", .. extra]);
        forwarder.WaitForReady();
        if (!Wait.Until(() => File.Exists(socket), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50)))
            throw new TimeoutException($"the API socket did not appear\n{forwarder.Describe()}");
        return forwarder;
    }

    /// <summary>
    /// Writes the dsr-l2 configuration the upgrade tests run (one UDP VIP, the sink its backend) into
    /// <paramref name="directory"/> and returns its path; <paramref name="vipMore"/> is YAML added to the VIP, indented as its keys.
    /// </summary>
    public static string WriteConfig(LoadBalancerTopology topology, string directory, string vipMore = "")
    {
        string config = Path.Combine(directory, "forwarder.yaml");
        File.WriteAllText(config, $"""
            interface:
              name: {LbInterface}
              queues: [0, 1]
              cores: [0, 1]
            router_mac: {topology.NextHopMac}
            vips:
              - address: {Vip}
                port: {VipPort}
                protocol: udp
                mode: dsr-l2
                backends:
                  - address: {SinkAddress}
                    mac: {topology.NextHopMac}
            """ + (vipMore.Length > 0 ? "\n" + vipMore : ""));
        return config;
    }

    public static string SocketIn(string directory) => Path.Combine(directory, "api.sock");

    /// <summary>Runs <c>forwarder ARGUMENTS --api unix:SOCKET</c> (bounded).</summary>
    public static CommandResult Cli(string socket, params string[] arguments) =>
        HostCommand.Run(ForwarderProcess.DotnetHost(), [Path.Combine(AppContext.BaseDirectory, "forwarder.dll"), .. arguments, "--api", $"unix:{socket}"], TimeSpan.FromSeconds(120));
}
