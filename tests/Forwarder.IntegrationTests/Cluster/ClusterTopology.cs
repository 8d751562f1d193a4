using System.Net;
using Forwarder.IntegrationTests.ControlPlane;
using Forwarder.IntegrationTests.Decap;
using Forwarder.IntegrationTests.Infrastructure;

namespace Forwarder.IntegrationTests.Cluster;

/// <summary>
/// Three forwarder nodes behind an ECMP router, each announcing the VIPs over eBGP with its own BIRD, in
/// namespaces of their own, wired and configured by <c>scripts/cluster-topology.sh</c>
/// (<see cref="ClusterTopologyScript"/>), the demo's topology:
/// <code>
///   cli ── rtr (BIRD, one multipath route per VIP) ─┬─ n1 ┐ BIRD + forwarder on l0, the same VIPs
///                                                   ├─ n2 ├ (ipip to b1 b2 b3), announced through
///                                                   ├─ n3 ┘ its announce: section
///                                                   └─ br0 ─ b1 b2 b3 (nginx, decap program)
/// </code>
/// Create returns once the router's routes to both VIPs go through all three nodes. Dispose stops every
/// process in the namespaces (forwarders, BIRDs, nginx) and deletes them and the work directory.
/// </summary>
public sealed class ClusterTopology : IDisposable
{
    public static readonly IPAddress Vip = IPAddress.Parse(ClusterTopologyScript.Variable("CL_VIP"));
    public static readonly IPAddress Vip6 = IPAddress.Parse(ClusterTopologyScript.Variable("CL_VIP6"));
    public static readonly int VipPort = int.Parse(ClusterTopologyScript.Variable("CL_VIP_PORT"), System.Globalization.CultureInfo.InvariantCulture);
    public static readonly IPAddress ClientAddress = IPAddress.Parse(ClusterTopologyScript.Variable("CL_CLIENT"));
    public static readonly IPAddress ClientAddress6 = IPAddress.Parse(ClusterTopologyScript.Variable("CL_CLIENT6"));
    public static readonly IReadOnlyList<string> NodeNames = ClusterTopologyScript.Array("CL_NODES");
    public static readonly IReadOnlyList<string> BackendNames = ClusterTopologyScript.Array("CL_BACKENDS");
    public static readonly IReadOnlyList<IPAddress> BackendAddresses = ClusterTopologyScript.Array("CL_BACKEND_ADDRESSES").Select(IPAddress.Parse).ToArray();
    private static readonly TimeSpan AnnouncedTimeout = TimeSpan.FromSeconds(30);

    private readonly List<NetworkNamespace> _namespaces = [];
    private readonly ForwarderProcess?[] _forwarders = new ForwarderProcess?[3];

    /// <summary>
    /// The forwarders' watchdog stall unless a test asks for another: on this shared 2-core machine (load averages above
    /// 30) a worker starved of CPU for over 200 ms trips the watchdog, and that node's withdraw and return would spoil
    /// the figures of tests that measure something else.
    /// </summary>
    public const string LenientWatchdogStall = "2s";

    /// <summary>The design's watchdog stall (the forwarder's default), for the node whose watchdog a test measures.</summary>
    public const string DesignWatchdogStall = "200ms";

    private readonly string _watchdogStall;

    private ClusterTopology(string prefix, string directory, bool resilientGroups, string watchdogStall)
    {
        Prefix = prefix;
        Directory = directory;
        ResilientGroups = resilientGroups;
        _watchdogStall = watchdogStall;
    }

    /// <summary>
    /// True when the router's BIRD exports into a side table and <c>scripts/resilient-nexthops.sh</c> keeps one
    /// resilient next-hop group per VIP in the main table in step with it.
    /// </summary>
    public bool ResilientGroups { get; }

    public string Prefix { get; }

    /// <summary>The work directory: BIRD configurations, control sockets and logs, the forwarders' files.</summary>
    public string Directory { get; }

    public NetworkNamespace Client { get; private set; } = null!;
    public NetworkNamespace Router { get; private set; } = null!;
    public IReadOnlyList<NetworkNamespace> Nodes { get; private set; } = [];

    public static readonly IReadOnlyList<IPAddress> NodeAddresses = ClusterTopologyScript.Array("CL_NODE_ADDRESSES").Select(IPAddress.Parse).ToArray();
    public static readonly IReadOnlyList<IPAddress> NodeAddresses6 = ClusterTopologyScript.Array("CL_NODE_ADDRESSES6").Select(IPAddress.Parse).ToArray();

    /// <summary>Node NODE's address on its link to the router, of FAMILY: the next hop the router's routes name.</summary>
    public IPAddress NodeAddress(int node, System.Net.Sockets.AddressFamily family) =>
        family == System.Net.Sockets.AddressFamily.InterNetworkV6 ? NodeAddresses6[node] : NodeAddresses[node];

    public static IPEndPoint VipEndpoint(bool ipv6 = false) => new(ipv6 ? Vip6 : Vip, VipPort);

    /// <param name="resilientGroups">Route the VIPs through resilient next-hop groups (see <see cref="ResilientGroups"/>).</param>
    /// <param name="watchdogStall">The forwarders' announce.watchdog_stall.</param>
    public static ClusterTopology Create(bool resilientGroups = false, string watchdogStall = LenientWatchdogStall)
    {
        RootGuard.Require();
        string prefix = NamespaceNames.NextPrefix();
        var topology = new ClusterTopology(prefix, System.IO.Directory.CreateTempSubdirectory($"fwt-cluster-{prefix}-").FullName, resilientGroups, watchdogStall);
        try
        {
            topology.Build();
            return topology;
        }
        catch
        {
            topology.Dispose();
            throw;
        }
    }

    private void Build()
    {
        Client = Add("cli");
        Router = Add("rtr");
        Nodes = NodeNames.Select(Add).ToArray();
        NetworkNamespace[] backends = BackendNames.Select(Add).ToArray();
        ClusterTopologyScript.Run("cltopo_wire", Prefix);
        CheckRouterSysctls();
        ClusterTopologyScript.Run("cltopo_bird_write", Directory, ResilientGroups ? "resilient" : "");
        foreach (NetworkNamespace backend in backends)
            DecapCli.Check(backend, "attach", "--iface", ClusterTopologyScript.Variable("CL_BACKEND_INTERFACE"));
        ClusterTopologyScript.Run("cltopo_nginx_start", Prefix, Directory);
        ClusterTopologyScript.Run("cltopo_bird_start", Prefix, Directory, "rtr");
        if (ResilientGroups)
            ClusterTopologyScript.Run("cltopo_resilient_start", Prefix, Directory);
        for (int i = 0; i < Nodes.Count; i++)
        {
            ClusterTopologyScript.Run("cltopo_bird_start", Prefix, Directory, NodeNames[i]);
            StartForwarder(i);
        }
        WaitUntilRouted(Vip, NodeNames);
        WaitUntilRouted(Vip6, NodeNames);
    }

    /// <summary>
    /// The router hashes flows as the design needs: forwarding on, hash policy 3 over addresses, protocol
    /// and ports (0x0037), a fixed seed (the kernel's one seed serves IPv6 too). Policy 1 would let TCP's
    /// re-rolled socket hash move flows between nodes on every retransmission timeout.
    /// </summary>
    private void CheckRouterSysctls()
    {
        string policy = ClusterTopologyScript.Variable("CL_HASH_POLICY"), seed = ClusterTopologyScript.Variable("CL_HASH_SEED");
        // Written as hex (0x0037), read back in decimal.
        int fields = Convert.ToInt32(ClusterTopologyScript.Variable("CL_HASH_FIELDS"), 16);
        (string Key, string Expected)[] expected =
        [
            ("net.ipv4.ip_forward", "1"), ("net.ipv6.conf.all.forwarding", "1"),
            ("net.ipv4.fib_multipath_hash_policy", policy), ("net.ipv6.fib_multipath_hash_policy", policy),
            ("net.ipv4.fib_multipath_hash_fields", $"{fields}"), ("net.ipv6.fib_multipath_hash_fields", $"{fields}"),
        ];
        foreach ((string key, string value) in expected)
        {
            string actual = Router.CheckExec("sysctl", "-n", key).Stdout.Trim();
            if (actual != value)
                throw new InvalidOperationException($"{Router.Name}: {key} is {actual}, the cluster needs {value}");
        }
        // The seed reads back as "SEED" or "SEED SEED" (configured and in use) depending on the kernel.
        string actualSeed = Router.CheckExec("sysctl", "-n", "net.ipv4.fib_multipath_hash_seed").Stdout.Trim();
        if (actualSeed.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() != seed)
            throw new InvalidOperationException($"{Router.Name}: net.ipv4.fib_multipath_hash_seed is {actualSeed}, the cluster needs {seed}");
    }

    private NetworkNamespace Add(string role)
    {
        NetworkNamespace ns = NetworkNamespace.Create($"{Prefix}-{role}");
        _namespaces.Add(ns);
        return ns;
    }

    public string NodeDirectory(int node) => Path.Combine(Directory, NodeNames[node]);

    public string ApiSocket(int node) => Path.Combine(NodeDirectory(node), "api.sock");

    public ForwarderProcess Forwarder(int node) => _forwarders[node] ?? throw new InvalidOperationException($"{NodeNames[node]} runs no forwarder");

    /// <summary>
    /// Starts node NODE's forwarder on its configuration (written by the script, with WATCHDOGSTALL or the cluster's) and
    /// waits for READY; a forwarder running there is stopped first.
    /// </summary>
    public ForwarderProcess StartForwarder(int node, string? watchdogStall = null)
    {
        _forwarders[node]?.Dispose();
        string config = Path.Combine(NodeDirectory(node), "forwarder.yaml");
        File.WriteAllText(config, ClusterTopologyScript.Run("cltopo_config", Prefix, Directory, NodeNames[node], watchdogStall ?? _watchdogStall));
        File.Delete(ApiSocket(node));
        ClusterTopologyScript.Run("cltopo_include_reset", Directory, NodeNames[node]);
        ForwarderProcess forwarder = ForwarderProcess.Start(Nodes[node],
            ["run", "--config", config, "--api", $"unix:{ApiSocket(node)}", "--stats-interval", "0"]);
        _forwarders[node] = forwarder;
        forwarder.WaitForReady();
        return forwarder;
    }

    /// <summary>The nodes the router's route to VIP goes through now (n1 n2 n3, as the script names them).</summary>
    public IReadOnlyList<string> RoutedNodes(IPAddress vip) =>
        ClusterTopologyScript.Run("cltopo_route_nodes", Prefix, vip.ToString()).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Waits (bounded) until the router's route to VIP goes through exactly NODES.</summary>
    public void WaitUntilRouted(IPAddress vip, IReadOnlyList<string> nodes, TimeSpan? timeout = null)
    {
        TimeSpan limit = timeout ?? AnnouncedTimeout;
        if (!Wait.Until(() => RoutedNodes(vip).SequenceEqual(nodes), limit, TimeSpan.FromMilliseconds(100)))
            throw new TimeoutException($"the router's route to {vip} does not go through {string.Join(' ', nodes)} within {limit.TotalSeconds:0} s " +
                $"(it goes through: {string.Join(' ', RoutedNodes(vip))}).\n{Describe()}");
    }

    /// <summary>`birdc -s SOCKET COMMAND` against WHO's BIRD (rtr, n1, n2, n3).</summary>
    public string Birdc(string who, string command) =>
        HostCommand.Check("birdc", ["-s", Path.Combine(Directory, who, "bird.ctl"), .. command.Split(' ')]).Stdout;

    /// <summary>WHO's BIRD's pid (from its pid file).</summary>
    public int BirdPid(string who) =>
        int.Parse(File.ReadAllText(Path.Combine(Directory, who, "bird.pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Packets node NODE's forwarder has taken for its VIPs (forwarder_vip_packets_total, summed).</summary>
    public long VipPackets(int node)
    {
        using var api = new UnixApiClient(ApiSocket(node));
        (int status, string body) = api.Send(HttpMethod.Get, "/metrics");
        if (status != 200)
            throw new InvalidOperationException($"{NodeNames[node]}: GET /metrics answered {status}: {body}");
        return body.Split('\n')
            .Where(line => line.StartsWith("forwarder_vip_packets_total", StringComparison.Ordinal))
            .Sum(line => (long)double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>The routes, the router's BGP and BFD state and the forwarders' last output, for failure messages.</summary>
    public string Describe()
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine($"router routes: {Router.Exec("ip", "route", "show", Vip.ToString()).Stdout.Trim()} | {Router.Exec("ip", "-6", "route", "show", Vip6.ToString()).Stdout.Trim()}");
        text.AppendLine(HostCommand.Run("birdc", "-s", Path.Combine(Directory, "rtr", "bird.ctl"), "show", "protocols").Stdout.Trim());
        if (ResilientGroups)
        {
            text.AppendLine($"router next hops: {Router.Exec("ip", "nexthop", "show").Stdout.Trim()}");
            string log = Path.Combine(Directory, "rtr", "resilient-nexthops.log");
            text.AppendLine($"--- resilient-nexthops.sh ---\n{(File.Exists(log) ? Tail(File.ReadAllText(log), 2000) : "(no log)")}");
        }
        for (int i = 0; i < _forwarders.Length; i++)
        {
            if (_forwarders[i] is { } forwarder)
                text.AppendLine($"--- {NodeNames[i]} forwarder (exited: {forwarder.HasExited}) ---\n{Tail(forwarder.Describe(), 3000)}");
        }
        return text.ToString();
    }

    private static string Tail(string text, int length) => text.Length <= length ? text : text[^length..];

    public void Dispose()
    {
        foreach (ForwarderProcess? forwarder in _forwarders)
            forwarder?.Dispose();
        // Stops the BIRDs by pid, then what else runs in the namespaces (nginx; stopped ones are continued first), deletes them and the directory.
        HostCommand.Run("bash", ["-c", "source \"$0\"; cltopo_down \"$1\" \"$2\"", ClusterTopologyScript.Path, Prefix, Directory], TimeSpan.FromSeconds(30));
        for (int i = _namespaces.Count - 1; i >= 0; i--)
            _namespaces[i].Dispose();
        _namespaces.Clear();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
