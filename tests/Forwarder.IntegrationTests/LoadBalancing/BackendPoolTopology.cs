using System.Net;
using Forwarder.IntegrationTests.Decap;
using Forwarder.IntegrationTests.Infrastructure;

namespace Forwarder.IntegrationTests.LoadBalancing;

/// <summary>
/// A load balancer and three real backends on one segment behind a router, in six namespaces of its own,
/// wired by <c>scripts/lb-topology.sh</c> (<see cref="LbTopologyScript"/>), the demo's topology, which also
/// gives every address and name:
/// <code>
///   cli (c0 10.20.1.2) ── (rc 10.20.1.1) rtr, bridge br0 10.20.2.1 ─┬─ (l0 10.20.2.2)  lb, 2 queues
///                                                                   ├─ (e0 10.20.2.11) b1 ┐ VIP on lo,
///                                                                   ├─ (e0 10.20.2.12) b2 ├ nginx on :80
///                                                                   └─ (e0 10.20.2.13) b3 ┘ answering its name
/// </code>
/// rtr routes the VIP to lb. ipip frames come back to rtr's MAC and rtr routes their outer packet to the
/// backend, whose decap program strips it; dsr-l2 frames go straight to the backend's MAC; nat frames come
/// to rtr's MAC addressed to the backend. Backends answer the client through rtr (ipip, dsr-l2) or, under
/// nat, route the client's subnet back through lb.
/// </summary>
public sealed class BackendPoolTopology : IDisposable
{
    public const int VipPort = NginxServer.Port;

    public static readonly string LbInterface = LbTopologyScript.Variable("LB_INTERFACE");
    public static readonly string BackendInterface = LbTopologyScript.Variable("LB_BACKEND_INTERFACE");
    public static readonly IPAddress ClientAddress = IPAddress.Parse(LbTopologyScript.Variable("LB_CLIENT"));
    public static readonly IPAddress RouterClientSideAddress = IPAddress.Parse(LbTopologyScript.Variable("LB_ROUTER_CLIENT_SIDE"));
    public static readonly IPAddress RouterSegmentAddress = IPAddress.Parse(LbTopologyScript.Variable("LB_ROUTER_SEGMENT"));
    public static readonly IPAddress LbAddress = IPAddress.Parse(LbTopologyScript.Variable("LB_ADDRESS"));
    public static readonly IPAddress Vip = IPAddress.Parse(LbTopologyScript.Variable("LB_VIP"));
    public static readonly IReadOnlyList<string> BackendNames = LbTopologyScript.Array("LB_BACKENDS");
    public static readonly IReadOnlyList<IPAddress> BackendAddresses = LbTopologyScript.Array("LB_BACKEND_ADDRESSES").Select(IPAddress.Parse).ToArray();

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
        // The script's nginx port is the one NginxServer listens on: the demo and the tests serve the same VIP.
        if (LbTopologyScript.Variable("LB_VIP_PORT") != VipPort.ToString(System.Globalization.CultureInfo.InvariantCulture))
            throw new InvalidOperationException($"{LbTopologyScript.Path} puts the VIP on port {LbTopologyScript.Variable("LB_VIP_PORT")}, the tests' nginx listens on {VipPort}");
        Client = Add("cli");
        Router = Add("rtr");
        LoadBalancer = Add("lb");
        NetworkNamespace[] backends = BackendNames.Select(Add).ToArray();
        LbTopologyScript.Wire(Prefix, Mode.ConfigName());
        RouterMac = LbTopologyScript.RouterMac(Prefix);

        for (int i = 0; i < backends.Length; i++)
            _backends.Add(StartBackend(BackendNames[i], backends[i], BackendAddresses[i]));
    }

    /// <summary>Decapsulation (ipip, gue) and nginx on a backend the script wired.</summary>
    private Backend StartBackend(string name, NetworkNamespace ns, IPAddress address)
    {
        if (Mode is LoadBalancingMode.Ipip or LoadBalancingMode.Gue)
            DecapCli.Check(ns, "attach", "--iface", BackendInterface);

        NginxServer nginx = NginxServer.Start(ns, name);
        _servers.Add(nginx);
        return new Backend(name, ns, address, ns.MacOf(BackendInterface), nginx);
    }

    private NetworkNamespace Add(string role)
    {
        // Named as the script names them (PREFIX-role); created and deleted here, so a test removes exactly what it made.
        NetworkNamespace ns = NetworkNamespace.Create($"{Prefix}-{role}");
        _namespaces.Add(ns);
        return ns;
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
