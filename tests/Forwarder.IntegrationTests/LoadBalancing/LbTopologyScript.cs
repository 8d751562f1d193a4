using Forwarder.IntegrationTests.Infrastructure;

namespace Forwarder.IntegrationTests.LoadBalancing;

/// <summary>
/// <c>scripts/lb-topology.sh</c>, copied beside the tests: the one definition of the backend-pool topology
/// (addresses, names, links, routes, offloads) that the demo builds too. Its variables are read and its
/// functions run by bash, so the tests and the demo cannot drift apart.
/// </summary>
internal static class LbTopologyScript
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static string Path => System.IO.Path.Combine(AppContext.BaseDirectory, "scripts", "lb-topology.sh");

    /// <summary>A variable the script sets; an array's items joined by spaces.</summary>
    public static string Variable(string name)
    {
        string value = Bash($"printf '%s' \"${{{name}[*]}}\"");
        return value.Length > 0 ? value : throw new InvalidOperationException($"{Path} sets no {name}");
    }

    /// <summary>An array the script sets, item by item.</summary>
    public static IReadOnlyList<string> Array(string name) => Variable(name).Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary><c>lbtopo_wire PREFIX MODE</c>: links, addresses, routes and settings in the namespaces PREFIX-{cli,rtr,lb,b1,b2,b3}, which must exist.</summary>
    public static void Wire(string prefix, string mode) => Bash("lbtopo_wire \"$1\" \"$2\"", prefix, mode);

    /// <summary><c>lbtopo_router_mac PREFIX</c>: rtr's MAC on the segment, the forwarder's next hop.</summary>
    public static string RouterMac(string prefix) => Bash("lbtopo_router_mac \"$1\"", prefix).Trim();

    private static string Bash(string command, params string[] arguments)
    {
        CommandResult result = HostCommand.Run("bash", ["-c", $"set -euo pipefail; source \"$0\"; {command}", Path, .. arguments], Timeout);
        return result.Succeeded ? result.Stdout : throw CommandFailedException.From(result);
    }
}
