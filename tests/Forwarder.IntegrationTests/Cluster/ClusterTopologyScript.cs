using Forwarder.IntegrationTests.Infrastructure;

namespace Forwarder.IntegrationTests.Cluster;

/// <summary>
/// <c>scripts/cluster-topology.sh</c>, copied beside the tests: the one definition of the cluster's shape
/// (addresses, links, sysctls, the BIRD configurations, the forwarders' configuration) that the demo
/// builds too. Its variables are read and its functions run by bash, so the tests and the demo cannot drift.
/// </summary>
internal static class ClusterTopologyScript
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static string Path => System.IO.Path.Combine(AppContext.BaseDirectory, "scripts", "cluster-topology.sh");

    /// <summary>A variable the script sets; an array's items joined by spaces.</summary>
    public static string Variable(string name)
    {
        string value = Bash($"printf '%s' \"${{{name}[*]}}\"");
        return value.Length > 0 ? value : throw new InvalidOperationException($"{Path} sets no {name}");
    }

    /// <summary>An array the script sets, item by item.</summary>
    public static IReadOnlyList<string> Array(string name) => Variable(name).Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Runs <c>FUNCTION ARGUMENTS...</c> from the script and returns its standard output; throws if it fails.</summary>
    public static string Run(string function, params string[] arguments) =>
        Bash($"{function} \"$@\"", arguments);

    private static string Bash(string command, params string[] arguments)
    {
        CommandResult result = HostCommand.Run("bash", ["-c", $"set -euo pipefail; source \"$0\"; {command}", Path, .. arguments], Timeout);
        return result.Succeeded ? result.Stdout : throw CommandFailedException.From(result);
    }
}
