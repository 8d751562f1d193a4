using System.Net;
using Forwarder.IntegrationTests.Decap;
using Forwarder.IntegrationTests.Infrastructure;

namespace Forwarder.IntegrationTests.LoadBalancing;

/// <summary>
/// A load balancer and three real backends on one segment behind a router, in six namespaces of its own:
/// <code>
///   cli (c0 10.202.1.2) ── (rc 10.202.1.1) rtr, bridge br0 10.202.2.1 ─┬─ (l0 10.202.2.2)  lb, 2 queues
///                                                                      ├─ (e0 10.202.2.11) b1 ┐ VIP on lo,
///                                                                      ├─ (e0 10.202.2.12) b2 ├ nginx on :80
///                                                                      └─ (e0 10.202.2.13) b3 ┘ answering its name
/// </code>
/// rtr routes the VIP to lb. ipip frames come back to rtr's MAC and rtr routes their outer packet to the
/// backend, whose decap program strips it; dsr-l2 frames go straight to the backend's MAC; nat frames come
/// to rtr's MAC addressed to the backend. Backends answer the client through rtr (ipip, dsr-l2) or, under
/// nat, route the client's subnet back through lb.
/// </summary>
public sealed class BackendPoolTopology : IDisposable
{
    public const string LbInterface = "l0";
    public const string BackendInterface = "e0";
    public const int VipPort = NginxServer.Port;

    public static readonly IPAddress ClientAddress = IPAddress.Parse("10.202.1.2");
    public static readonly IPAddress RouterClientSideAddress = IPAddress.Parse("10.202.1.1");
    public static readonly IPAddress RouterSegmentAddress = IPAddress.Parse("10.202.2.1");
    public static readonly IPAddress LbAddress = IPAddress.Parse("10.202.2.2");
    public static readonly IPAddress Vip = IPAddress.Parse("10.100.0.1");
    public static readonly IReadOnlyList<IPAddress> BackendAddresses = new[] { "10.202.2.11", "10.202.2.12", "10.202.2.13" }.Select(IPAddress.Parse).ToArray();
    private const string ClientSubnet = "10.202.1.0/24";

    private readonly List<NetworkNamespace> _namespaces = [];
    private readonly List<NginxServer> _servers = [];
    private readonly List<Backend> _backends = [];

    private BackendPoolTopology(string prefix, LoadBalancingMode mode)
    {
        Prefix = prefix;
        Mode = mode;
    }

    public string Prefix { get; }
    public LoadBalancingMode Mode { get; }
    public NetworkNamespace Client { get; private set; } = null!;
    public NetworkNamespace Router { get; private set; } = null!;
    public NetworkNamespace LoadBalancer { get; private set; } = null!;
    public IReadOnlyList<Backend> Backends => _backends;

    /// <summary>rtr's MAC on the segment (the bridge's): the forwarder's next hop.</summary>
    public string RouterMac { get; private set; } = "";

    public static IPEndPoint VipEndpoint => new(Vip, VipPort);
    public static string VipUrl => $"http://{Vip}:{VipPort}/";

    /// <summary>Builds the topology for <paramref name="mode"/>, starts nginx on every backend and proves every path but the forwarder's.</summary>
    public static BackendPoolTopology Create(LoadBalancingMode mode)
    {
        RootGuard.Require();
        var topology = new BackendPoolTopology(NamespaceNames.NextPrefix(), mode);
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

    public Backend BackendNamed(string name) =>
        _backends.SingleOrDefault(b => b.Name == name) ?? throw new InvalidOperationException($"no backend named '{name}'");

    private void Build()
    {
        Client = Add("cli");
        Router = Add("rtr");
        LoadBalancer = Add("lb");
        NetworkNamespace[] backends = [Add("b1"), Add("b2"), Add("b3")];

        Client.Ip("link", "add", "c0", "type", "veth", "peer", "name", "rc", "netns", Router.Name);
        // Native XDP on l0 needs as many rx queues there as its peer has tx queues.
        LoadBalancer.Ip("link", "add", LbInterface, "numrxqueues", "2", "numtxqueues", "2", "type", "veth",
            "peer", "name", "rl", "netns", Router.Name, "numrxqueues", "2", "numtxqueues", "2");
        Router.Ip("link", "add", "br0", "type", "bridge");
        Router.Ip("link", "set", "rl", "master", "br0");
        for (int i = 0; i < backends.Length; i++)
        {
            backends[i].Ip("link", "add", BackendInterface, "type", "veth", "peer", "name", $"rb{i + 1}", "netns", Router.Name);
            Router.Ip("link", "set", $"rb{i + 1}", "master", "br0");
        }

        Configure(Client, "c0", ClientAddress, 24);
        Configure(Router, "rc", RouterClientSideAddress, 24);
        foreach (string port in new[] { "rl", "rb1", "rb2", "rb3" })
            Router.Ip("link", "set", port, "up");
        Configure(Router, "br0", RouterSegmentAddress, 24);
        Configure(LoadBalancer, LbInterface, LbAddress, 24);
        Client.Ip("route", "add", "default", "via", RouterClientSideAddress.ToString());
        LoadBalancer.Ip("route", "add", "default", "via", RouterSegmentAddress.ToString());

        Router.Sysctl("net.ipv4.ip_forward", "1");
        // ipip and nat packets leave rtr on the segment they came from: no ICMP redirects to lb.
        Router.Sysctl("net.ipv4.conf.all.send_redirects", "0");
        Router.Sysctl("net.ipv4.conf.br0.send_redirects", "0");
        Router.Ip("route", "add", $"{Vip}/32", "via", LbAddress.ToString());
        RouterMac = Router.MacOf("br0");

        for (int i = 0; i < backends.Length; i++)
            _backends.Add(BuildBackend($"b{i + 1}", backends[i], BackendAddresses[i]));

        // Packets from local sockets carry partial checksums; the forwarder passes them on as they are.
        Client.DisableTxChecksumOffload("c0");
    }

    private Backend BuildBackend(string name, NetworkNamespace ns, IPAddress address)
    {
        Configure(ns, BackendInterface, address, 24);
        ns.Ip("addr", "add", $"{Vip}/32", "dev", "lo");
        ns.Ip("route", "add", "default", "via", RouterSegmentAddress.ToString());
        // Every backend holds the VIP: none may answer ARP for it, nor use it as an ARP source.
        ns.Sysctl("net.ipv4.conf.all.arp_ignore", "1");
        ns.Sysctl("net.ipv4.conf.all.arp_announce", "2");
        // nat replies go through the forwarder, which does not complete partial checksums.
        ns.DisableTxChecksumOffload(BackendInterface);
        if (Mode == LoadBalancingMode.Nat)
            ns.Ip("route", "add", ClientSubnet, "via", LbAddress.ToString());
        if (Mode is LoadBalancingMode.Ipip or LoadBalancingMode.Gue)
            DecapCli.Check(ns, "attach", "--iface", BackendInterface);

        NginxServer nginx = NginxServer.Start(ns, name);
        _servers.Add(nginx);
        return new Backend(name, ns, address, ns.MacOf(BackendInterface), nginx);
    }

    private NetworkNamespace Add(string role)
    {
        NetworkNamespace ns = NetworkNamespace.Create($"{Prefix}-{role}");
        _namespaces.Add(ns);
        // No IPv6 chatter on the segment; no reverse-path filter on the asymmetric DSR and ipip paths.
        ns.Sysctl("net.ipv6.conf.all.disable_ipv6", "1");
        ns.Sysctl("net.ipv6.conf.default.disable_ipv6", "1");
        ns.Sysctl("net.ipv4.conf.all.rp_filter", "0");
        ns.Sysctl("net.ipv4.conf.default.rp_filter", "0");
        return ns;
    }

    private static void Configure(NetworkNamespace ns, string device, IPAddress address, int prefixLength)
    {
        ns.Sysctl($"net.ipv4.conf.{device}.rp_filter", "0");
        ns.Ip("addr", "add", $"{address}/{prefixLength}", "dev", device);
        ns.Ip("link", "set", device, "up");
    }

    /// <summary>Proves the links and routes the forwarder does not take part in (and resolves neighbours on the way).</summary>
    private void CheckConnectivity()
    {
        (NetworkNamespace From, IPAddress To)[] pings =
            [(Client, RouterClientSideAddress), (Router, LbAddress), (LoadBalancer, RouterSegmentAddress)];
        foreach ((NetworkNamespace from, IPAddress to) in pings)
        {
            if (!IcmpEcho.Ping(from, to, attempts: 5))
                throw new InvalidOperationException($"topology {Prefix}: {from.Name} cannot ping {to}");
        }
        foreach (Backend backend in _backends)
        {
            var http = new IPEndPoint(backend.Address, VipPort);
            if (!TcpProbe.CanConnect(Router, http, TimeSpan.FromSeconds(3)))
                throw new InvalidOperationException($"topology {Prefix}: {Router.Name} cannot connect to nginx on {http}.\n{backend.Nginx.Describe()}");
            if (!IcmpEcho.Ping(backend.Namespace, RouterSegmentAddress, attempts: 5))
                throw new InvalidOperationException($"topology {Prefix}: {backend.Name} cannot ping {RouterSegmentAddress}");
        }
    }

    public void Dispose()
    {
        foreach (NginxServer server in _servers)
            server.Dispose();
        _servers.Clear();
        // Deleting a namespace deletes its veth ends, their peers, the bridge, and any XDP program on them.
        for (int i = _namespaces.Count - 1; i >= 0; i--)
            _namespaces[i].Dispose();
        _namespaces.Clear();
    }
}
