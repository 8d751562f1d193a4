using System.Text.Json;
using Forwarder.IntegrationTests.ControlPlane;
using Forwarder.IntegrationTests.Infrastructure;
using Xunit.Abstractions;
using static Forwarder.IntegrationTests.LoadBalancing.BackendPoolTopology;

namespace Forwarder.IntegrationTests.LoadBalancing;

/// <summary>
/// The connection table's listing and purge against a running forwarder: real connections through it show up in
/// <c>GET /flows</c> on the backend that answered them, <c>forwarder flows purge</c> of one backend reports exactly
/// the entries listed on it and the listing then holds none of them, and the FINAL line counts the SYN misses; a VIP with
/// <c>flow_table: bypass</c> forwards its connections without ever touching the table.
/// </summary>
public sealed class FlowTableGuardTests(ITestOutputHelper output)
{
    private const int Connections = 24;
    private const int FirstPort = 45000;

    [RootFact]
    public void Connections_through_the_forwarder_are_listed_and_a_purge_of_their_backend_reports_the_count()
    {
        string socket = Path.Combine(Path.GetTempPath(), $"fwt-api-{Environment.ProcessId}-{Guid.NewGuid():N}.sock");
        using LoadBalancerUnderTest lb = LoadBalancerUnderTest.Start(LoadBalancingMode.Ipip, runOptions: ["--api", $"unix:{socket}", "--flow-table", "4096"]);
        Assert.True(Wait.Until(() => File.Exists(socket), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50)), "the API socket did not appear");
        using var api = new UnixApiClient(socket);

        var answeredBy = new Dictionary<int, string>();
        for (int port = FirstPort; port < FirstPort + Connections; port++)
        {
            string name = HttpExchange.Get(lb.Topology.Client, new(ClientAddress, port), VipEndpoint, TimeSpan.FromSeconds(3)).Trim();
            answeredBy[port] = lb.Backends.Single(b => b.Name == name).Address.ToString();
        }

        JsonElement[] listed = List(api);
        output.WriteLine(string.Join("\n", listed.Select(f => f.GetRawText())));
        foreach ((int port, string backend) in answeredBy)
        {
            JsonElement? entry = listed.Cast<JsonElement?>().FirstOrDefault(f => f!.Value.GetProperty("client").GetString() == ClientAddress.ToString()
                && f.Value.GetProperty("client_port").GetInt32() == port);
            Assert.True(entry is not null, $"client port {port} is not listed\n{lb.Describe()}");
            Assert.Equal(backend, entry!.Value.GetProperty("backend").GetString());
            Assert.Equal(VipPort, entry.Value.GetProperty("vip_port").GetInt32());
        }

        CommandResult list = Forwarder(socket, "flows", "list", $"{Vip}:{VipPort}/tcp", "--limit", "3");
        output.WriteLine(list.ToString());
        Assert.True(list.Succeeded, list.ToString());
        Assert.StartsWith($"{Vip}:{VipPort}/tcp: 3 connection(s) listed (limit 3, ", list.Stdout);
        Assert.Equal(4, list.Stdout.Trim().Split('\n').Length);

        // The backend that answered most of them: the purge must report every entry listed on it, and no more.
        string purged = answeredBy.Values.GroupBy(b => b).OrderByDescending(g => g.Count()).First().Key;
        int onIt = listed.Count(f => f.GetProperty("backend").GetString() == purged);
        CommandResult purge = Forwarder(socket, "flows", "purge", purged);
        output.WriteLine(purge.ToString());
        Assert.True(purge.Succeeded, purge.ToString());
        Assert.StartsWith($"purged {onIt} connection(s) of backend {purged} from ", purge.Stdout.Trim());
        Assert.True(onIt >= answeredBy.Values.Count(b => b == purged));

        JsonElement[] after = List(api);
        Assert.DoesNotContain(after, f => f.GetProperty("backend").GetString() == purged);
        Assert.Equal(listed.Length - onIt, after.Length);

        // A hostile purge is refused and changes nothing.
        (int status, string body) = api.Send(HttpMethod.Post, "/flows/purge?backend=10.255.255.1");
        Assert.True(status == 404, body);
        Assert.Equal(after.Length, List(api).Length);

        lb.Stop();
        JsonElement table = JsonDocument.Parse(lb.FinalLine[ForwarderReport.Marker.Length..]).RootElement.GetProperty("flow_table");
        output.WriteLine(table.GetRawText());
        Assert.True(table.GetProperty("syn_misses").GetInt64() >= Connections, table.GetRawText());
        Assert.Equal(0, table.GetProperty("rate_limited").GetInt64());
    }

    [RootFact]
    public void A_bypass_vip_s_connections_are_forwarded_and_never_remembered()
    {
        string socket = Path.Combine(Path.GetTempPath(), $"fwt-api-{Environment.ProcessId}-{Guid.NewGuid():N}.sock");
        using LoadBalancerUnderTest lb = LoadBalancerUnderTest.Start(LoadBalancingMode.Ipip, vip: v => v.FlowTable("bypass"),
            runOptions: ["--api", $"unix:{socket}", "--flow-table", "4096"]);
        Assert.True(Wait.Until(() => File.Exists(socket), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50)), "the API socket did not appear");
        using var api = new UnixApiClient(socket);

        var backends = new HashSet<string>();
        for (int port = FirstPort + 100; port < FirstPort + 100 + Connections; port++)
            backends.Add(HttpExchange.Get(lb.Topology.Client, new(ClientAddress, port), VipEndpoint, TimeSpan.FromSeconds(3)).Trim());

        Assert.True(backends.Count > 1, "every connection reached one backend");
        Assert.Empty(List(api));
        lb.Stop();
        JsonElement table = JsonDocument.Parse(lb.FinalLine[ForwarderReport.Marker.Length..]).RootElement.GetProperty("flow_table");
        output.WriteLine(table.GetRawText());
        Assert.Equal(0, table.GetProperty("entries").GetInt64());
        Assert.Equal(0, table.GetProperty("hits").GetInt64() + table.GetProperty("misses").GetInt64() + table.GetProperty("syn_misses").GetInt64());
    }

    private static CommandResult Forwarder(string socket, params string[] arguments) =>
        HostCommand.Run(ForwarderProcess.DotnetHost(), [Path.Combine(AppContext.BaseDirectory, "forwarder.dll"), .. arguments, "--api", $"unix:{socket}"],
            TimeSpan.FromSeconds(30));

    private static JsonElement[] List(UnixApiClient api)
    {
        (int status, string body) = api.Send(HttpMethod.Get, $"/flows?vip={Vip}:{VipPort}/tcp&limit=1000");
        Assert.True(status == 200, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("flows").EnumerateArray().ToArray();
    }
}
