using Forwarder.IntegrationTests.Infrastructure;

namespace Forwarder.IntegrationTests.LoadBalancing;

/// <summary>
/// <c>scripts/lb-topology.sh</c>: the one definition of the backend-pool topology (addresses, names, links,
/// routes, offloads) that the demo builds too.
/// </summary>
internal static class LbTopologyScript
{
    private static readonly TopologyScript Script = new("lb-topology.sh");

    public static string Path => Script.Path;

    /// <inheritdoc cref="TopologyScript.Variable"/>
    public static string Variable(string name) => Script.Variable(name);

    /// <inheritdoc cref="TopologyScript.Array"/>
    public static IReadOnlyList<string> Array(string name) => Script.Array(name);

    /// <summary><c>lbtopo_wire PREFIX MODE</c>: links, addresses, routes and settings in the namespaces PREFIX-{cli,rtr,lb,b1,b2,b3}, which must exist.</summary>
    public static void Wire(string prefix, string mode) => Script.Run("lbtopo_wire", prefix, mode);

    /// <summary><c>lbtopo_router_mac PREFIX</c>: rtr's MAC on the segment, the forwarder's next hop.</summary>
    public static string RouterMac(string prefix) => Script.Run("lbtopo_router_mac", prefix).Trim();
}
