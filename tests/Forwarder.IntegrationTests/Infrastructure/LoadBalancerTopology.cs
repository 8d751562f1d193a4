using System.Net;

namespace Forwarder.IntegrationTests.Infrastructure;

/// <summary>
/// A one-armed load balancer behind a router, in four namespaces of its own:
/// <code>
///   cli (c0 10.201.1.2) ── (r0 10.201.1.1) rtr (r1 10.201.2.1) ══ (l0 10.201.2.2) lb
///                                          rtr (r2 10.201.3.1) ── (s0 10.201.3.2) sink, VIP on lo
/// </code>
/// rtr routes the VIP to lb; frames that come back from lb (iif r1), still addressed to the VIP,
/// follow table 100 to sink. The rtr ⇄ lb link has two queues in each direction.
/// </summary>
public sealed class LoadBalancerTopology : IDisposable
{
    public const string LbInterface = "l0";
    public const string RouterLbSide = "r1";
    public const int VipPort = 5000;
    private const string VipReturnTable = "100";

    public static readonly IPAddress ClientAddress = IPAddress.Parse("10.201.1.2");
    public static readonly IPAddress RouterClientSideAddress = IPAddress.Parse("10.201.1.1");
    public static readonly IPAddress RouterLbSideAddress = IPAddress.Parse("10.201.2.1");
    public static readonly IPAddress LbAddress = IPAddress.Parse("10.201.2.2");
    public static readonly IPAddress RouterSinkSideAddress = IPAddress.Parse("10.201.3.1");
    public static readonly IPAddress SinkAddress = IPAddress.Parse("10.201.3.2");
    public static readonly IPAddress Vip = IPAddress.Parse("10.100.0.1");

    private readonly List<NetworkNamespace> _namespaces = [];

    private LoadBalancerTopology(string prefix) => Prefix = prefix;

    public string Prefix { get; }
    public NetworkNamespace Client { get; private set; } = null!;
    public NetworkNamespace Router { get; private set; } = null!;
    public NetworkNamespace LoadBalancer { get; private set; } = null!;
    public NetworkNamespace Sink { get; private set; } = null!;

    /// <summary>The MAC of rtr's side of the lb link: where the forwarder sends its frames.</summary>
    public string NextHopMac => Router.MacOf(RouterLbSide);

    public static IPEndPoint VipEndpoint => new(Vip, VipPort);

    public static LoadBalancerTopology Create()
    {
        RootGuard.Require();
        var topology = new LoadBalancerTopology(NamespaceNames.NextPrefix());
        try
        {
            topology.Build();
            topology.CheckConnectivity();
            return topology;
        }
        catch
        {
            topology.Dispose();
            throw;
        }
    }

    /// <summary>The forwarder's arguments for this topology: 2 queues on 2 cores, UDP VIP on <see cref="VipPort"/>.</summary>
    public ForwarderOptions ForwarderOptions() =>
        new(LbInterface, NextHopMac, [$"{Vip}:{VipPort}/udp"]);

    /// <summary>Puts the VIP on lb's loopback, so VIP packets the kernel gets are delivered in lb.</summary>
    public void AddVipToLoadBalancer() => LoadBalancer.Ip("addr", "add", $"{Vip}/32", "dev", "lo");

    public void RemoveVipFromLoadBalancer() => LoadBalancer.Ip("addr", "del", $"{Vip}/32", "dev", "lo");

    /// <summary>Lets lb's kernel route VIP packets back to rtr: the hairpin without the forwarder.</summary>
    public void EnableKernelForwardingOnLoadBalancer() => LoadBalancer.Sysctl("net.ipv4.ip_forward", "1");

    private void Build()
    {
        Client = Add("cli");
        Router = Add("rtr");
        LoadBalancer = Add("lb");
        Sink = Add("sink");

        // cli ⇄ rtr keeps one queue on purpose: rtr forwards a packet that arrived on veth queue q>0
        // to the tx queue of its recorded rx queue (q-1) and one from queue 0 by the flow hash that
        // already chose queue 0, so a multi-queue cli link would put every flow on lb's queue 0.
        Client.Ip("link", "add", "c0", "type", "veth", "peer", "name", "r0", "netns", Router.Name);
        Router.Ip("link", "add", RouterLbSide, "numrxqueues", "2", "numtxqueues", "2", "type", "veth",
            "peer", "name", LbInterface, "netns", LoadBalancer.Name, "numrxqueues", "2", "numtxqueues", "2");
        Router.Ip("link", "add", "r2", "type", "veth", "peer", "name", "s0", "netns", Sink.Name);

        Configure(Client, "c0", ClientAddress);
        Configure(Router, "r0", RouterClientSideAddress);
        Configure(Router, RouterLbSide, RouterLbSideAddress);
        Configure(Router, "r2", RouterSinkSideAddress);
        Configure(LoadBalancer, LbInterface, LbAddress);
        Configure(Sink, "s0", SinkAddress);
        Sink.Ip("addr", "add", $"{Vip}/32", "dev", "lo");

        Client.Ip("route", "add", "default", "via", RouterClientSideAddress.ToString());
        LoadBalancer.Ip("route", "add", "default", "via", RouterLbSideAddress.ToString());
        Sink.Ip("route", "add", "default", "via", RouterSinkSideAddress.ToString());

        Router.Sysctl("net.ipv4.ip_forward", "1");
        Router.Ip("route", "add", $"{Vip}/32", "via", LbAddress.ToString());
        Router.Ip("route", "add", $"{Vip}/32", "via", SinkAddress.ToString(), "table", VipReturnTable);
        Router.Ip("rule", "add", "iif", RouterLbSide, "lookup", VipReturnTable, "pref", "100");

        // Packets from local sockets carry partial checksums; the forwarder does not complete them.
        Client.DisableTxChecksumOffload("c0");
        Router.DisableTxChecksumOffload(RouterLbSide);
    }

    private NetworkNamespace Add(string role)
    {
        NetworkNamespace ns = NetworkNamespace.Create($"{Prefix}-{role}");
        _namespaces.Add(ns);
        // Forwarded VIP packets come back into rtr from lb with the client's source: no reverse-path filter.
        ns.Sysctl("net.ipv4.conf.all.rp_filter", "0");
        ns.Sysctl("net.ipv4.conf.default.rp_filter", "0");
        return ns;
    }

    private static void Configure(NetworkNamespace ns, string device, IPAddress address)
    {
        ns.Sysctl($"net.ipv4.conf.{device}.rp_filter", "0");
        ns.Ip("addr", "add", $"{address}/24", "dev", device);
        ns.Ip("link", "set", device, "up");
    }

    /// <summary>Proves every link and route before a test starts (and resolves the neighbours on the way).</summary>
    private void CheckConnectivity()
    {
        (NetworkNamespace From, IPAddress To)[] paths =
        [
            (Client, RouterClientSideAddress), (Router, LbAddress), (Router, SinkAddress), (Client, LbAddress), (Client, SinkAddress),
        ];
        foreach ((NetworkNamespace from, IPAddress to) in paths)
        {
            if (!IcmpEcho.Ping(from, to, attempts: 5))
                throw new InvalidOperationException($"topology {Prefix}: {from.Name} cannot ping {to}");
        }
    }

    public void Dispose()
    {
        // Deleting a namespace deletes its veth ends, and with them their peers and any XDP program.
        for (int i = _namespaces.Count - 1; i >= 0; i--)
            _namespaces[i].Dispose();
        _namespaces.Clear();
    }
}
