using Forwarder.IntegrationTests.ControlPlane;
using Forwarder.IntegrationTests.Infrastructure;
using static Forwarder.IntegrationTests.Infrastructure.LoadBalancerTopology;

namespace Forwarder.IntegrationTests.Upgrade;

/// <summary>
/// What the connection-table upgrade tests share: the load-balancer topology, a UDP sink behind the VIP, a client with
/// a fixed set of source ports (one flow each), a forwarder with connection tables (<c>--flow-table 1024</c>) and its
/// API on a Unix socket, and the chain of its upgrades. Disposed in the reverse order of its making.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class FlowTableUpgradeRig : IDisposable
{
    private FlowTableUpgradeRig(LoadBalancerTopology topology, UdpReceiver sink, UdpSender client, ForwarderProcess forwarder, string socket)
    {
        Topology = topology;
        Sink = sink;
        Client = client;
        Forwarder = forwarder;
        Socket = socket;
        Chain = new UpgradeProcesses(forwarder);
    }

    public LoadBalancerTopology Topology { get; }

    public UdpReceiver Sink { get; }

    public UdpSender Client { get; }

    public ForwarderProcess Forwarder { get; }

    /// <summary>The control API's Unix socket.</summary>
    public string Socket { get; }

    public UpgradeProcesses Chain { get; }

    public static FlowTableUpgradeRig Start(string directory, int sourcePorts)
    {
        LoadBalancerTopology topology = Create();
        var made = new Stack<IDisposable>([topology]);
        try
        {
            UdpReceiver sink = UdpReceiver.Start(topology.Sink, VipEndpoint);
            made.Push(sink);
            UdpSender client = UdpSender.Create(topology.Client, sourcePorts);
            made.Push(client);
            ForwarderProcess forwarder = ConfiguredForwarder.Start(topology, directory, "--flow-table", "1024");
            return new FlowTableUpgradeRig(topology, sink, client, forwarder, ConfiguredForwarder.SocketIn(directory));
        }
        catch
        {
            while (made.TryPop(out IDisposable? part))
                part.Dispose();
            throw;
        }
    }

    /// <summary>Sends <paramref name="count"/> datagrams over the client's flows at 10,000/s and waits (10 s at most) until the sink got every one.</summary>
    public void SendAll(int count, string when)
    {
        uint run = DatagramPayload.NewRunId();
        Client.Send(VipEndpoint, run, count, 10_000);
        Assert.True(Sink.WaitFor(run, count, TimeSpan.FromSeconds(10)), $"the sink got {Sink.CountOf(run)} of {count} {when}\n{Forwarder.Describe()}");
    }

    /// <summary>Upgrades with <c>forwarder upgrade</c> and waits (20 s at most) until the successor's API answers.</summary>
    public void UpgradeByCommand()
    {
        Chain.Upgrade(() => Assert.Equal(0, ConfiguredForwarder.Cli(Socket, "upgrade").ExitCode), TimeSpan.FromSeconds(120));
        Assert.True(Wait.Until(() => ConfiguredForwarder.Cli(Socket, "status").ExitCode == 0, TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(200)),
            $"the successor's API did not answer\n{Forwarder.Describe()}");
    }

    public void Dispose()
    {
        Chain.Dispose();
        Forwarder.Dispose();
        Client.Dispose();
        Sink.Dispose();
        Topology.Dispose();
    }
}
