using System.Net;
using System.Runtime.Versioning;
using System.Text.Json;
using Forwarder.Cli;
using Forwarder.ControlPlane;
using Forwarder.DataPlane;
using Forwarder.Hashing;
using Forwarder.Packets;

namespace Forwarder.Tests.Api;

/// <summary>
/// <c>GET /flow</c> and <c>forwarder flow</c>: the published snapshot's backend for a flow with its hash, slot,
/// digest and hash options; every malformed or unmatched query a 400 (the CLI: exit 2 before asking, or 1) naming what to fix.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class FlowEndpointTests : IAsyncLifetime
{
    private TestApi _api = null!;

    public async Task InitializeAsync() => _api = await TestApi.StartAsync(new TestForwarder(ApiConfigs.Base + ApiConfigs.SecondVip));

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task The_answer_names_the_backend_hash_slot_digest_and_options_of_the_published_snapshot()
    {
        JsonElement flow = await _api.GetJson("/flow?src=192.168.1.1:31337&dst=10.100.0.1:80&proto=tcp");

        VipEntry vip = _api.Forwarder.Runtime.Snapshots.Current.Vips[0];
        uint hash = FlowHash.HashV4(WireAddress.FromIPAddress(IPAddress.Parse("192.168.1.1")).V4, FlowHash.PortsWord(31337, 80));
        Assert.Equal(0xc7e68632u, hash); // the design's reference flow
        Assert.Equal(hash, flow.GetProperty("flow_hash").GetUInt32());
        Assert.Equal("0xc7e68632", flow.GetProperty("flow_hash_hex").GetString());
        Assert.Equal(48717, flow.GetProperty("slot").GetInt32());
        int backend = vip.Slots![48717];
        Assert.Equal(backend, flow.GetProperty("backend").GetProperty("id").GetInt32());
        Assert.Equal(_api.Forwarder.Runtime.Published.Vips[0].Backends[backend].Address.ToString(), flow.GetProperty("backend").GetProperty("address").GetString());
        Assert.Equal("up", flow.GetProperty("backend").GetProperty("health").GetString());
        Assert.Equal(vip.Digest, flow.GetProperty("digest").GetString());
        Assert.Equal("10.100.0.1:80/tcp", flow.GetProperty("vip").GetString());
        Assert.Equal("ipip", flow.GetProperty("mode").GetString());
        Assert.Equal(0, flow.GetProperty("hash_options").GetArrayLength());
        Assert.Equal(1, flow.GetProperty("table_version").GetInt64());
    }

    [Fact]
    public async Task A_backend_marked_down_is_never_the_answer()
    {
        var vip = new VipIdentity(IPAddress.Parse("10.100.0.1"), 80, Forwarder.Configuration.VipProtocol.Tcp);
        _api.Forwarder.Runtime.SetHealth(vip, new Forwarder.Configuration.BackendId(IPAddress.Parse("10.0.0.1"), null), healthy: false);
        _api.Forwarder.Runtime.SetHealth(vip, new Forwarder.Configuration.BackendId(IPAddress.Parse("10.0.0.2"), null), healthy: false);

        for (int port = 1000; port < 1020; port++)
        {
            JsonElement flow = await _api.GetJson($"/flow?src=192.168.1.1:{port}&dst=10.100.0.1:80");
            Assert.Equal("10.0.0.3", flow.GetProperty("backend").GetProperty("address").GetString());
        }
    }

    [Theory]
    [InlineData("src=192.168.1.1:1000&dst=10.100.0.9:80", "no VIP matches 10.100.0.9:80/tcp: 10.100.0.9 is no VIP address")]
    [InlineData("src=192.168.1.1:1000&dst=10.100.0.1:81", "the VIPs on 10.100.0.1 are 10.100.0.1:80/tcp")]
    [InlineData("src=192.168.1.1:1000&dst=10.100.0.1", "give the VIP's port")]
    [InlineData("src=192.168.1.1:1000&dst=10.100.0.1:80&proto=udp", "no VIP matches 10.100.0.1:80/udp")]
    [InlineData("src=192.168.1.1:1000&dst=10.100.0.1:80&proto=icmp", "protocol 'icmp' is not tcp or udp")]
    [InlineData("src=192.168.1.1:70000&dst=10.100.0.1:80", "client port '70000' is not a number from 0 to 65535")]
    [InlineData("src=192.168.1.1:-1&dst=10.100.0.1:80", "client port '-1' is not a number")]
    [InlineData("src=192.168.1.1:1000&dst=10.100.0.1:", "VIP port '' is not a number")]
    [InlineData("src=192.168.1.300:1000&dst=10.100.0.1:80", "client address")]
    [InlineData("src=not-an-address&dst=10.100.0.1:80", "client address")]
    [InlineData("dst=10.100.0.1:80", "src: give the client address")]
    [InlineData("src=192.168.1.1", "dst: give the VIP address")]
    [InlineData("src=[2001:db8::1]:1000&dst=10.100.0.1:80", "client 2001:db8::1 is IPv6 but VIP 10.100.0.1 is IPv4")]
    [InlineData("src=192.168.1.1:1&src=192.168.1.2:2&dst=10.100.0.1:80", "client")]
    public async Task A_malformed_or_unmatched_query_is_a_400_that_names_what_to_fix(string query, string expected)
    {
        ApiResponse response = await _api.Get("/flow?" + query);

        Assert.Equal(400, response.Status);
        Assert.Contains(expected, string.Join("; ", response.Errors()));
    }

    [Fact]
    public async Task The_cli_prints_the_answer_and_its_json()
    {
        (int exitCode, string output, string errors) = await CliRun.Invoke("flow", "192.168.1.1:31337", "10.100.0.1:80", "tcp", "--api", _api.Address);

        Assert.True(exitCode == 0, errors);
        Assert.Contains("flow 192.168.1.1:31337 -> 10.100.0.1:80/tcp (tcp), table version 1", output);
        Assert.Contains("flow hash     0xc7e68632", output);
        Assert.Contains("ring slot     48717 of 65537", output);
        Assert.Contains(_api.Forwarder.Runtime.Snapshots.Current.Vips[0].Digest, output);

        (exitCode, output, errors) = await CliRun.Invoke("flow", "192.168.1.1:31337", "10.100.0.1:80", "--json", "--api", _api.Address);
        Assert.True(exitCode == 0, errors);
        Assert.Equal(48717, JsonDocument.Parse(output).RootElement.GetProperty("slot").GetInt32());
    }

    [Theory]
    [InlineData("192.168.1.1:99999", "10.100.0.1:80", "tcp", "forwarder flow: client port '99999' is not a number from 0 to 65535")]
    [InlineData("192.168.1.1:1", "10.100.0.1:80", "sctp", "forwarder flow: protocol 'sctp' is not tcp or udp")]
    [InlineData("fe80::1%eth0", "10.100.0.1:80", "tcp", "forwarder flow: ")]
    public async Task The_cli_refuses_a_malformed_query_before_asking(string source, string vip, string protocol, string expected)
    {
        await _api.Server.DisposeAsync(); // nothing answers: the query must be refused before any request

        (int exitCode, string output, string errors) = await CliRun.Invoke("flow", source, vip, protocol, "--api", _api.Address);

        Assert.Equal(2, exitCode);
        Assert.Empty(output);
        Assert.StartsWith(expected, errors);
    }

    [Fact]
    public async Task The_cli_says_which_vip_is_unknown_and_exits_1()
    {
        (int exitCode, string output, string errors) = await CliRun.Invoke("flow", "192.168.1.1:1", "10.100.0.2:54", "udp", "--api", _api.Address);

        Assert.Equal(1, exitCode);
        Assert.Empty(output);
        Assert.Contains("no VIP matches 10.100.0.2:54/udp; the VIPs on 10.100.0.2 are 10.100.0.2:53/udp", errors);
    }

    [Theory]
    [InlineData("<html>not a forwarder</html>")]
    [InlineData("{}")]
    [InlineData("[1,2]")]
    public async Task An_answer_that_is_not_a_flow_answer_is_a_clear_error(string body)
    {
        using var garbage = new GarbageApi(body);

        (int exitCode, string output, string errors) = await CliRun.Invoke("flow", "192.168.1.1:1", "10.100.0.1:80", "--api", garbage.Address);

        Assert.Equal(1, exitCode);
        Assert.Empty(output);
        Assert.StartsWith($"forwarder flow: the answer at {garbage.Address} is not a forwarder's flow answer", errors);
    }
}
