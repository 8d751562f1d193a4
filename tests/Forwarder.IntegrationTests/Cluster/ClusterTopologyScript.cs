using Forwarder.IntegrationTests.Infrastructure;

namespace Forwarder.IntegrationTests.Cluster;

/// <summary>
/// <c>scripts/cluster-topology.sh</c>: the one definition of the cluster's shape (addresses, links, sysctls, the
/// BIRD configurations, the forwarders' configuration) that the demo builds too.
/// </summary>
internal static class ClusterTopologyScript
{
    private static readonly TopologyScript Script = new("cluster-topology.sh");

    public static string Path => Script.Path;

    /// <inheritdoc cref="TopologyScript.Variable"/>
    public static string Variable(string name) => Script.Variable(name);

    /// <inheritdoc cref="TopologyScript.Array"/>
    public static IReadOnlyList<string> Array(string name) => Script.Array(name);

    /// <inheritdoc cref="TopologyScript.Run"/>
    public static string Run(string function, params string[] arguments) => Script.Run(function, arguments);
}
