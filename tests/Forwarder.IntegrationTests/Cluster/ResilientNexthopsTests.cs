using Forwarder.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Forwarder.IntegrationTests.Cluster;

/// <summary>
/// <c>scripts/resilient-nexthops.sh</c> on its own, in a router namespace of its own with two links: it follows the
/// side table (routes added, narrowed, withdrawn and back with the same group; IPv4 and IPv6), leaves alone routes it
/// did not make and side-table routes without a gateway, takes its groups over after a restart without moving a
/// bucket, and refuses bad arguments with what to give.
/// </summary>
public sealed class ResilientNexthopsTests(ITestOutputHelper output)
{
    private const string Table = "100";
    private const string Vip = "10.100.0.1", Vip6 = "fd00:100::1", Foreign = "10.100.0.9", NoGateway = "10.100.0.5";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private static readonly string ScriptPath = Path.Combine(AppContext.BaseDirectory, "scripts", "resilient-nexthops.sh");

    [RootFact]
    public void It_keeps_one_resilient_group_per_vip_in_step_with_the_side_table()
    {
        using NetworkNamespace router = Router();
        router.Ip("route", "add", $"{Foreign}/32", "via", "10.9.1.2", "dev", "d1");
        router.Ip("route", "add", $"{NoGateway}/32", "table", Table, "dev", "d1");
        using NamespaceProcess helper = StartHelper(router);

        router.Ip("route", "add", $"{Vip}/32", "table", Table, "proto", "bird", "nexthop", "via", "10.9.1.2", "dev", "d1", "nexthop", "via", "10.9.2.2", "dev", "d2");
        router.Ip("-6", "route", "add", $"{Vip6}/128", "table", Table, "proto", "bird", "via", "fd09:1::2", "dev", "d1");
        string route = WaitForRoute(router, Vip, r => r.Contains("via 10.9.1.2 ", StringComparison.Ordinal) && r.Contains("via 10.9.2.2 ", StringComparison.Ordinal), helper);
        string group = GroupOf(route);
        Assert.Contains($"id {group} group ", router.Ip("nexthop", "show", "id", group).Stdout);
        Assert.Contains("type resilient buckets 128 idle_timer 30 unbalanced_timer 0", router.Ip("nexthop", "show", "id", group).Stdout);
        WaitForRoute(router, Vip6, r => r.Contains("via fd09:1::2 ", StringComparison.Ordinal), helper);

        router.Ip("route", "replace", $"{Vip}/32", "table", Table, "proto", "bird", "via", "10.9.1.2", "dev", "d1");
        route = WaitForRoute(router, Vip, r => !r.Contains("via 10.9.2.2 ", StringComparison.Ordinal), helper);
        Assert.Equal(group, GroupOf(route)); // the same group, narrowed: its buckets stay where they can

        // Every node withdrew: the route goes, the group stays for the VIP's return (its buckets where they were).
        router.Ip("route", "del", $"{Vip}/32", "table", Table);
        WaitForRoute(router, Vip, r => r.Length == 0, helper);
        Assert.True(router.Exec("ip", "nexthop", "show", "id", group).Succeeded, $"group {group} went with its route\n{helper.Describe()}");
        router.Ip("route", "add", $"{Vip}/32", "table", Table, "proto", "bird", "via", "10.9.1.2", "dev", "d1");
        Assert.Equal(group, GroupOf(WaitForRoute(router, Vip, r => r.Contains("via 10.9.1.2 ", StringComparison.Ordinal), helper)));

        Assert.Contains("via 10.9.1.2 dev d1", router.Ip("route", "show", Foreign).Stdout);
        Assert.Equal("", router.Ip("route", "show", NoGateway).Stdout.Trim());
        Assert.False(helper.HasExited, helper.Describe());
        output.WriteLine(helper.Output);
    }

    [RootFact]
    public void A_restarted_helper_takes_over_its_groups_and_moves_no_bucket()
    {
        using NetworkNamespace router = Router();
        router.Ip("route", "add", $"{Vip}/32", "table", Table, "proto", "bird", "nexthop", "via", "10.9.1.2", "dev", "d1", "nexthop", "via", "10.9.2.2", "dev", "d2");
        string group, buckets;
        using (NamespaceProcess first = StartHelper(router))
        {
            group = GroupOf(WaitForRoute(router, Vip, r => r.Contains("via 10.9.2.2 ", StringComparison.Ordinal), first));
            buckets = Buckets(router, group);
        }
        using NamespaceProcess second = StartHelper(router);
        Assert.True(Wait.Until(() => second.Output.Contains($"took over group {group}", StringComparison.Ordinal), Bound), second.Describe());
        router.Ip("route", "replace", $"{Vip}/32", "table", Table, "proto", "bird", "nexthop", "via", "10.9.1.2", "dev", "d1", "nexthop", "via", "10.9.2.2", "dev", "d2", "weight", "1");

        Assert.Equal(group, GroupOf(router.Ip("route", "show", Vip).Stdout));
        Assert.Equal(buckets, Buckets(router, group));
        output.WriteLine(second.Output);
    }

    [Theory]
    [InlineData("--table 254", "--table 254: give the side table BIRD exports into, not main (254) or local (255)")]
    [InlineData("--buckets x", "--buckets 'x': give a whole number")]
    [InlineData("--buckets 0", "--buckets 0: give 1 to 65535")]
    [InlineData("--proto 2", "--proto 2: give a protocol number of 5 to 255")]
    [InlineData("--bogus", "unknown argument '--bogus'")]
    public void Bad_arguments_are_refused_with_what_to_give(string arguments, string expected)
    {
        CommandResult result = HostCommand.Run("bash", [ScriptPath, .. arguments.Split(' ')]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(expected, result.Stderr);
        Assert.Contains("Usage: resilient-nexthops.sh", HostCommand.Run("bash", ScriptPath, "--help").Stderr);
    }

    /// <summary>A namespace with links d1 (10.9.1.1, fd09:1::1) and d2 (10.9.2.1) whose peers hold the gateways.</summary>
    private static NetworkNamespace Router()
    {
        NetworkNamespace router = NetworkNamespace.Create($"{NamespaceNames.NextPrefix()}-rnh");
        try
        {
            router.Sysctl("net.ipv6.conf.all.accept_dad", "0");
            router.Sysctl("net.ipv6.conf.default.accept_dad", "0");
            foreach (int i in new[] { 1, 2 })
            {
                router.Ip("link", "add", $"d{i}", "type", "veth", "peer", "name", $"e{i}");
                router.Ip("link", "set", $"d{i}", "up");
                router.Ip("link", "set", $"e{i}", "up");
                router.Ip("addr", "add", $"10.9.{i}.1/24", "dev", $"d{i}");
            }
            router.Ip("addr", "add", "fd09:1::1/64", "dev", "d1");
            return router;
        }
        catch
        {
            router.Dispose();
            throw;
        }
    }

    private static NamespaceProcess StartHelper(NetworkNamespace router)
    {
        NamespaceProcess helper = NamespaceProcess.Start(router, "bash", ScriptPath, "--table", Table);
        if (!Wait.Until(() => helper.Output.Contains("following table", StringComparison.Ordinal), Bound))
        {
            string description = helper.Describe();
            helper.Dispose();
            throw new InvalidOperationException($"resilient-nexthops.sh does not follow table {Table}:\n{description}");
        }
        return helper;
    }

    private static string WaitForRoute(NetworkNamespace router, string destination, Func<string, bool> wanted, NamespaceProcess helper)
    {
        string route = "";
        string family = destination.Contains(':', StringComparison.Ordinal) ? "-6" : "-4";
        bool done = Wait.Until(() => wanted(route = Flat(router.Ip(family, "route", "show", destination).Stdout)), Bound, TimeSpan.FromMilliseconds(50));
        Assert.True(done, $"the main route to {destination} is '{route}'\n{helper.Describe()}");
        return route;
    }

    /// <summary>The route's lines joined with single spaces, ending in one ("" for no route).</summary>
    private static string Flat(string text)
    {
        string joined = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return joined.Length == 0 ? "" : joined + " ";
    }

    private static string GroupOf(string route)
    {
        string[] fields = route.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        int at = Array.IndexOf(fields, "nhid");
        return at >= 0 && at + 1 < fields.Length ? fields[at + 1] : throw new InvalidOperationException($"no nhid in '{route}'");
    }

    /// <summary>Every bucket of GROUP and the next hop holding it: "INDEX:NHID ...".</summary>
    private static string Buckets(NetworkNamespace router, string group)
    {
        IEnumerable<string> pairs = router.Ip("nexthop", "bucket", "show", "id", group).Stdout.Split('\n')
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => Array.IndexOf(f, "index") >= 0 && Array.IndexOf(f, "nhid") >= 0)
            .Select(f => $"{f[Array.IndexOf(f, "index") + 1]}:{f[Array.IndexOf(f, "nhid") + 1]}");
        return string.Join(' ', pairs);
    }
}
