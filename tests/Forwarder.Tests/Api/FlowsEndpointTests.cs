using System.Net;
using System.Runtime.Versioning;
using System.Text.Json;
using Forwarder.Cli;
using Forwarder.ControlPlane;
using Forwarder.FlowTable;
using Forwarder.Packets;
using Forwarder.Tests.FlowTable;

namespace Forwarder.Tests.Api;

/// <summary>
/// <c>GET /flows</c>, <c>POST /flows/purge</c> and <c>forwarder flows</c>: a sample of a VIP's remembered connections, a
/// backend's purge carried out by the tables' owner (a thread standing in for the worker's idle polls), and every
/// hostile query a 4xx naming what to fix.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class FlowsEndpointTests : IAsyncLifetime
{
    private static readonly WireAddress Vip = WireAddress.FromIPAddress(IPAddress.Parse("10.100.0.1"));
    private static readonly WireAddress UdpVip = WireAddress.FromIPAddress(IPAddress.Parse("10.100.0.2"));
    private readonly ConnectionTable[] _tables = [Table(), Table()];
    private readonly CancellationTokenSource _stop = new();
    private Thread? _owner;
    private TestApi _api = null!;

    private static ConnectionTable Table() => new(new ConnectionTableOptions { Capacity = 1 << 12, Ways = 8 });

    private static string Backend(int n) => $"10.0.0.{1 + n % 3}";

    public async Task InitializeAsync()
    {
        uint now = FlowClock.Now();
        for (int n = 0; n < 60; n++)
        {
            ConnectionTable table = _tables[n % 2];
            var client = WireAddress.FromBytes([192, 168, 7, (byte)n]);
            table.Set(new FlowKey(client, Vip, TestFlows.PortsWord((ushort)(40000 + n), 80), IpProtocol.Tcp, IpVersion.V4),
                WireAddress.FromIPAddress(IPAddress.Parse(Backend(n))), IpVersion.V4, now);
            table.Set(new FlowKey(client, UdpVip, TestFlows.PortsWord((ushort)(40000 + n), 53), IpProtocol.Udp, IpVersion.V4),
                WireAddress.FromIPAddress(IPAddress.Parse("10.0.1.1")), IpVersion.V4, now);
        }
        var forwarder = new TestForwarder(ApiConfigs.Base + ApiConfigs.SecondVip)
        {
            ConnectionTables = [new QueueConnections(0, _tables[0]), new QueueConnections(1, _tables[1])],
        };
        _api = await TestApi.StartAsync(forwarder);
    }

    /// <summary>Serves the tables' requests as idle workers do, on a thread that owns them from now on.</summary>
    private void StartOwner()
    {
        _owner = new Thread(() =>
        {
            while (!_stop.IsCancellationRequested)
            {
                foreach (ConnectionTable table in _tables)
                    table.ServeRequests();
                Thread.Sleep(1);
            }
        }) { IsBackground = true, Name = "table-owner" };
        _owner.Start();
    }

    public async Task DisposeAsync()
    {
        _stop.Cancel();
        _owner?.Join(TimeSpan.FromSeconds(10));
        await _api.DisposeAsync();
        _stop.Dispose();
    }

    [Theory]
    [InlineData(5, 5)]
    [InlineData(60, 60)]
    [InlineData(1000, 60)]
    public async Task The_listing_holds_min_of_entries_and_limit_of_that_vip_only(int limit, int expected)
    {
        JsonElement answer = await _api.GetJson($"/flows?vip=10.100.0.1:80/tcp&limit={limit}");

        Assert.Equal("10.100.0.1:80/tcp", answer.GetProperty("vip").GetString());
        Assert.Equal(2, answer.GetProperty("queues").GetInt32());
        JsonElement[] flows = answer.GetProperty("flows").EnumerateArray().ToArray();
        Assert.Equal(expected, flows.Length);
        Assert.All(flows, flow =>
        {
            Assert.Equal(80, flow.GetProperty("vip_port").GetInt32());
            Assert.Equal("tcp", flow.GetProperty("protocol").GetString());
            int n = flow.GetProperty("client_port").GetInt32() - 40000;
            Assert.Equal($"192.168.7.{n}", flow.GetProperty("client").GetString());
            Assert.Equal(Backend(n), flow.GetProperty("backend").GetString());
            Assert.Equal(n % 2, flow.GetProperty("queue").GetInt32());
            Assert.InRange(flow.GetProperty("idle_ms").GetInt64(), 0, 60_000);
        });
    }

    [Fact]
    public async Task Without_a_limit_the_default_applies()
    {
        JsonElement answer = await _api.GetJson("/flows?vip=10.100.0.2:53/udp");
        Assert.Equal(ConnectionListing.DefaultLimit, answer.GetProperty("limit").GetInt32());
        Assert.Equal(60, answer.GetProperty("flows").GetArrayLength());
    }

    [Theory]
    [InlineData("", 400, "vip: give the VIP as ADDRESS:PORT/PROTOCOL")]
    [InlineData("vip=not-a-vip", 400, "VIP")]
    [InlineData("vip=10.100.0.300:80/tcp", 400, "VIP")]
    [InlineData("vip=10.100.0.1:80/sctp", 400, "unknown protocol 'sctp'")]
    [InlineData("vip=10.100.0.1:81/tcp", 404, "no VIP 10.100.0.1:81/tcp is configured; configured: 10.100.0.1:80/tcp, 10.100.0.2:53/udp")]
    [InlineData("vip=10.100.0.1:80/tcp&limit=-1", 400, "limit '-1' is not a number from 1 to 10000")]
    [InlineData("vip=10.100.0.1:80/tcp&limit=0", 400, "limit '0' is not a number from 1 to 10000")]
    [InlineData("vip=10.100.0.1:80/tcp&limit=10001", 400, "limit '10001' is not a number")]
    [InlineData("vip=10.100.0.1:80/tcp&limit=99999999999999999999", 400, "limit '99999999999999999999' is not a number")]
    [InlineData("vip=10.100.0.1:80/tcp&limit=ten", 400, "limit 'ten' is not a number")]
    [InlineData("vip=10.100.0.1:80/tcp&limit=%0a5", 400, "query parameter limit: contains the control character")]
    public async Task A_hostile_listing_query_is_a_4xx_that_names_what_to_fix(string query, int status, string expected)
    {
        ApiResponse response = await _api.Get("/flows?" + query);
        Assert.Equal(status, response.Status);
        Assert.Contains(expected, string.Join("; ", response.Errors()));
    }

    [Fact]
    public async Task A_purge_removes_exactly_that_backends_entries_and_reports_how_many()
    {
        StartOwner();
        long before = _tables.Sum(t => t.Count);

        ApiResponse response = await _api.Send(HttpMethod.Post, "/flows/purge?backend=10.0.0.2");

        Assert.True(response.Status == 200, response.Body);
        JsonElement answer = JsonDocument.Parse(response.Body).RootElement;
        Assert.Equal("10.0.0.2", answer.GetProperty("backend").GetString());
        Assert.Equal(20, answer.GetProperty("purged").GetInt64());
        Assert.Equal(2, answer.GetProperty("queues").GetInt32());
        Assert.Equal(before - 20, _tables.Sum(t => t.Count));
        JsonElement listed = await _api.GetJson("/flows?vip=10.100.0.1:80/tcp&limit=1000");
        Assert.Equal(40, listed.GetProperty("flows").GetArrayLength());
        Assert.DoesNotContain(listed.GetProperty("flows").EnumerateArray(), f => f.GetProperty("backend").GetString() == "10.0.0.2");
    }

    [Theory]
    [InlineData("", 400, "backend: give the backend as ADDRESS or ADDRESS:PORT")]
    [InlineData("backend=10.0.0.300", 400, "backend address")]
    [InlineData("backend=10.0.0.2:70000", 400, "backend port '70000' is not a number from 1 to 65535")]
    [InlineData("backend=10.0.0.2:-1", 400, "backend port '-1' is not a number")]
    [InlineData("backend=10.9.9.9", 404, "backend 10.9.9.9 is not a backend of any VIP")]
    [InlineData("backend=10.0.0.2:8080", 404, "backend 10.0.0.2:8080 is not a backend of any VIP")]
    public async Task A_hostile_purge_is_a_4xx_that_names_what_to_fix_and_changes_nothing(string query, int status, string expected)
    {
        long before = _tables.Sum(t => t.Count);
        ApiResponse response = await _api.Send(HttpMethod.Post, "/flows/purge?" + query);
        Assert.Equal(status, response.Status);
        Assert.Contains(expected, string.Join("; ", response.Errors()));
        Assert.Equal(before, _tables.Sum(t => t.Count));
    }

    [Fact]
    public async Task A_stateless_forwarder_says_it_remembers_nothing()
    {
        await using TestApi stateless = await TestApi.StartAsync(new TestForwarder());
        foreach (ApiResponse response in new[] { await stateless.Get("/flows?vip=10.100.0.1:80/tcp"), await stateless.Send(HttpMethod.Post, "/flows/purge?backend=10.0.0.1") })
        {
            Assert.Equal(400, response.Status);
            Assert.Contains("runs without a connection table", string.Join("; ", response.Errors()));
        }
    }

    [Fact]
    public async Task The_cli_lists_and_purges()
    {
        StartOwner();
        (int exitCode, string output, string errors) = await CliRun.Invoke("flows", "list", "10.100.0.1:80/tcp", "--limit", "3", "--api", _api.Address);
        Assert.True(exitCode == 0, errors);
        Assert.Contains("10.100.0.1:80/tcp: 3 connection(s) listed (limit 3, 2 queue(s) read)", output);
        Assert.Contains("backend 10.0.0.", output);

        (exitCode, output, errors) = await CliRun.Invoke("flows", "list", "10.100.0.1:80/tcp", "--json", "--api", _api.Address);
        Assert.True(exitCode == 0, errors);
        Assert.Equal(60, JsonDocument.Parse(output).RootElement.GetProperty("flows").GetArrayLength());

        (exitCode, output, errors) = await CliRun.Invoke("flows", "purge", "10.0.0.3", "--api", _api.Address);
        Assert.True(exitCode == 0, errors);
        Assert.Equal("purged 20 connection(s) of backend 10.0.0.3 from 2 queue(s)", output.Trim());
    }

    [Theory]
    [InlineData("list", "10.100.0.1:80/sctp", "forwarder flows list: ")]
    [InlineData("purge", "10.0.0.2:99999", "forwarder flows purge: backend port '99999'")]
    [InlineData("purge", "not-an-address", "forwarder flows purge: ")]
    public async Task The_cli_refuses_a_malformed_argument_before_asking(string command, string argument, string expected)
    {
        await _api.Server.DisposeAsync(); // nothing answers: the argument must be refused before any request
        (int exitCode, string output, string errors) = await CliRun.Invoke("flows", command, argument, "--api", _api.Address);
        Assert.Equal(2, exitCode);
        Assert.Empty(output);
        Assert.StartsWith(expected, errors);
    }

    [Fact]
    public async Task The_cli_refuses_a_limit_out_of_range_before_asking()
    {
        await _api.Server.DisposeAsync();
        (int exitCode, _, string errors) = await CliRun.Invoke("flows", "list", "10.100.0.1:80/tcp", "--limit", "-5", "--api", _api.Address);
        Assert.Equal(2, exitCode);
        Assert.Contains("limit '-5' is not a number from 1 to 10000", errors);
    }
}
