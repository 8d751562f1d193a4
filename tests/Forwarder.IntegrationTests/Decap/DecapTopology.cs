using System.Net;
using Forwarder.IntegrationTests.Infrastructure;

namespace Forwarder.IntegrationTests.Decap;

/// <summary>
/// A load balancer's link to one backend, in two namespaces of their own:
/// <code>
///   lb (dl0 10.77.0.1 fd77::1) ── (db0 10.77.0.2 fd77::2) be, VIPs 10.100.0.1 and fd00:100::1 on lo
/// </code>
/// lb stands in for the load balancer: it writes encapsulated frames straight onto dl0. be routes
/// the clients' networks back through lb (where they end: lb does not forward), as a DSR backend
/// answers clients directly.
/// </summary>
public sealed class DecapTopology : IDisposable
{
    public const string LbDevice = "dl0";
    public const string BackendDevice = "db0";

    public static readonly IPAddress LbAddress = IPAddress.Parse("10.77.0.1");
    public static readonly IPAddress BackendAddress = IPAddress.Parse("10.77.0.2");
    public static readonly IPAddress LbAddress6 = IPAddress.Parse("fd77::1");
    public static readonly IPAddress BackendAddress6 = IPAddress.Parse("fd77::2");
    public static readonly IPAddress Vip = IPAddress.Parse("10.100.0.1");
    public static readonly IPAddress Vip6 = IPAddress.Parse("fd00:100::1");
    public static readonly IPAddress Client = IPAddress.Parse("198.51.100.7");
    public static readonly IPAddress Client6 = IPAddress.Parse("2001:db8:77::7");

    /// <summary>Outer sources as the load balancer derives them (Katran style: 172.16.0.0/16 and 100::/64).</summary>
    public static readonly IPAddress OuterSource = IPAddress.Parse("172.16.104.123");
    public static readonly IPAddress OuterSource6 = IPAddress.Parse("100::c633:6407");

    private readonly List<NetworkNamespace> _namespaces = [];

    private DecapTopology()
    {
    }

    public NetworkNamespace Lb { get; private set; } = null!;
    public NetworkNamespace Backend { get; private set; } = null!;
    public byte[] LbMac { get; private set; } = [];
    public byte[] BackendMac { get; private set; } = [];

    public static DecapTopology Create()
    {
        RootGuard.Require();
        var topology = new DecapTopology();
        try
        {
            topology.Build(NamespaceNames.NextPrefix());
            return topology;
        }
        catch
        {
            topology.Dispose();
            throw;
        }
    }

    private void Build(string prefix)
    {
        Lb = Add($"{prefix}-dlb");
        Backend = Add($"{prefix}-dbe");
        Lb.Ip("link", "add", LbDevice, "type", "veth", "peer", "name", BackendDevice, "netns", Backend.Name);

        Lb.Ip("addr", "add", $"{LbAddress}/24", "dev", LbDevice);
        Lb.Ip("addr", "add", $"{LbAddress6}/64", "dev", LbDevice, "nodad");
        Backend.Ip("addr", "add", $"{BackendAddress}/24", "dev", BackendDevice);
        Backend.Ip("addr", "add", $"{BackendAddress6}/64", "dev", BackendDevice, "nodad");
        Backend.Ip("addr", "add", $"{Vip}/32", "dev", "lo");
        Backend.Ip("addr", "add", $"{Vip6}/128", "dev", "lo");
        Lb.Ip("link", "set", LbDevice, "up");
        Backend.Ip("link", "set", BackendDevice, "up");
        Backend.Ip("route", "add", "198.51.100.0/24", "via", LbAddress.ToString());
        Backend.Ip("-6", "route", "add", "2001:db8:77::/64", "via", LbAddress6.ToString());
        Lb.DisableTxChecksumOffload(LbDevice);

        LbMac = ParseMac(Lb.MacOf(LbDevice));
        BackendMac = ParseMac(Backend.MacOf(BackendDevice));
        if (!IcmpEcho.Ping(Lb, BackendAddress, attempts: 5))
            throw new InvalidOperationException($"{Lb.Name} cannot ping {BackendAddress}");
    }

    private NetworkNamespace Add(string name)
    {
        NetworkNamespace ns = NetworkNamespace.Create(name);
        _namespaces.Add(ns);
        // Decapsulated packets come from clients the backend reaches through lb: no reverse-path filter.
        ns.Sysctl("net.ipv4.conf.all.rp_filter", "0");
        ns.Sysctl("net.ipv4.conf.default.rp_filter", "0");
        return ns;
    }

    private static byte[] ParseMac(string text) => text.Split(':').Select(part => Convert.ToByte(part, 16)).ToArray();

    public void Dispose()
    {
        // Deleting a namespace deletes its veth end, the peer, and any XDP program on them.
        for (int i = _namespaces.Count - 1; i >= 0; i--)
            _namespaces[i].Dispose();
        _namespaces.Clear();
    }
}
