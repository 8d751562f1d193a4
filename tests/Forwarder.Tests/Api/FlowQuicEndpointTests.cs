using System.Net;
using System.Runtime.Versioning;
using System.Text.Json;
using Forwarder.Cli;
using Forwarder.Configuration;
using Forwarder.ControlPlane;
using Forwarder.DataPlane;
using Forwarder.Hashing;
using Forwarder.Packets;

namespace Forwarder.Tests.Api;

/// <summary>
/// <c>GET /flow?..&amp;cid=HEX</c> and <c>forwarder flow .. udp --cid HEX</c>: where a QUIC short-header packet with that
/// destination connection id goes — the backend of its server id, or the Maglev choice and why — beside the flow's
/// Maglev answer, which stays as it is; every cid the API cannot ask about a 400 (the CLI: exit 2 before asking, or 1) naming the rule.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class FlowQuicEndpointTests : IAsyncLifetime
{
    private const string Flow = "/flow?src=192.0.2.7:40000&dst=10.100.0.9:443&proto=udp";
    private const string Cid1024 = "4100030405060700"; // v1, server id 1024: 10.0.5.1

    private static readonly string QuicVip = new VipBuilder("10.100.0.9", 443, "udp").Quic()
        .QuicBackend("10.0.5.1", 1024).QuicBackend("10.0.5.2", 1026).QuicBackend("10.0.5.3", 4097).ToYaml();

    private TestApi _api = null!;

    public async Task InitializeAsync() => _api = await TestApi.StartAsync(new TestForwarder(ApiConfigs.Base + ApiConfigs.SecondVip + QuicVip));

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task A_live_server_id_names_its_backend_and_the_flow_s_maglev_answer_stays_as_it_was()
    {
        JsonElement without = await _api.GetJson(Flow);
        JsonElement flow = await _api.GetJson($"{Flow}&cid={Cid1024}");

        JsonElement quic = flow.GetProperty("quic");
        Assert.Equal(Cid1024, quic.GetProperty("cid").GetString());
        Assert.Equal(1, quic.GetProperty("cid_version").GetInt32());
        Assert.Equal(1024u, quic.GetProperty("server_id").GetUInt32());
        Assert.Equal("cid_routed", quic.GetProperty("outcome").GetString());
        Assert.Equal("10.0.5.1", quic.GetProperty("backend").GetProperty("address").GetString());
        Assert.Equal(without.GetProperty("backend").GetRawText(), flow.GetProperty("backend").GetRawText());
        Assert.Equal(MaglevChoice(), flow.GetProperty("backend").GetProperty("address").GetString());
        Assert.Contains(flow.GetProperty("notes").EnumerateArray(), n => n.GetString()!.StartsWith("quic: the answer is for a short-header packet", StringComparison.Ordinal));
        Assert.False(without.TryGetProperty("quic", out _));
    }

    [Theory]
    [InlineData("4111000000000000", "unknown_server_id", 1, 1092)]  // nobody's id
    [InlineData("0000030405060700", "maglev_routed", 0, null)]       // v0: no server id
    [InlineData("4000000405060700", "maglev_routed", 1, null)]       // v1 server id 0
    public async Task An_id_that_names_no_live_backend_takes_the_maglev_choice_and_says_why(string cid, string outcome, int version, int? serverId)
    {
        JsonElement flow = await _api.GetJson($"{Flow}&cid={cid}");

        JsonElement quic = flow.GetProperty("quic");
        Assert.Equal(outcome, quic.GetProperty("outcome").GetString());
        Assert.Equal(version, quic.GetProperty("cid_version").GetInt32());
        if (serverId is { } id)
            Assert.Equal(id, quic.GetProperty("server_id").GetInt32());
        else
            Assert.Equal(JsonValueKind.Null, quic.GetProperty("server_id").ValueKind); // written as null, not left out
        Assert.True(JsonElement.DeepEquals(flow.GetProperty("backend"), quic.GetProperty("backend")), quic.GetRawText());
    }

    [Fact]
    public async Task The_id_of_a_removed_backend_and_of_one_marked_down_is_retired()
    {
        string cid1026 = "4100830405060700";
        ApiAssert.Applied(await _api.Send(HttpMethod.Delete, "/vips/10.100.0.9/443/udp/backends/10.0.5.1"));
        _api.Forwarder.Runtime.SetHealth(new VipIdentity(IPAddress.Parse("10.100.0.9"), 443, VipProtocol.Udp), new BackendId(IPAddress.Parse("10.0.5.2"), null), healthy: false);

        foreach (string cid in new[] { Cid1024, cid1026 })
        {
            JsonElement flow = await _api.GetJson($"{Flow}&cid={cid}");
            JsonElement quic = flow.GetProperty("quic");
            Assert.Equal("retired_server_id", quic.GetProperty("outcome").GetString());
            Assert.Equal("10.0.5.3", quic.GetProperty("backend").GetProperty("address").GetString()); // the only backend left up
        }
        string[] notes = (await _api.GetJson($"{Flow}&cid={cid1026}")).GetProperty("notes").EnumerateArray().Select(n => n.GetString()!).ToArray();
        Assert.Contains("quic: server id 1026 is 10.0.5.2's, which is down", notes);
    }

    [Theory]
    [InlineData("41000304050607AA")]
    [InlineData("0x41000304050607aa")]
    [InlineData("0X41000304050607Aa")]
    [InlineData("%2041000304050607aa%20")]
    public async Task A_cid_in_either_case_with_or_without_0x_is_read_alike(string cid)
    {
        JsonElement quic = (await _api.GetJson($"{Flow}&cid={cid}")).GetProperty("quic");

        Assert.Equal("41000304050607aa", quic.GetProperty("cid").GetString());
        Assert.Equal("cid_routed", quic.GetProperty("outcome").GetString());
    }

    [Theory]
    [InlineData("src=192.0.2.7:40000&dst=10.100.0.2:53&proto=udp&cid=4100030405060700", "cid only for a quic VIP; 10.100.0.2:53/udp has quic off")]
    [InlineData("src=192.0.2.7:40000&dst=10.100.0.1:80&cid=4100030405060700", "cid: a QUIC connection id is asked only of a quic VIP, which is udp: give proto=udp")]
    [InlineData("src=192.0.2.7:40000&dst=10.100.0.9:443&proto=tcp&cid=4100030405060700", "give proto=udp")]
    [InlineData("src=192.0.2.7:40000&dst=10.100.0.9:443&proto=udp&cid=zz00030405060700", "cid 'zz00030405060700' is not hex: give the destination connection id as 16 to 40 hex digits")]
    [InlineData("src=192.0.2.7:40000&dst=10.100.0.9:443&proto=udp&cid=41-00-03-04-05-06-07-00", "is not hex")]
    [InlineData("src=192.0.2.7:40000&dst=10.100.0.9:443&proto=udp&cid=4100%0A0304050607", "query parameter cid: contains the control character")] // the request guard's refusal
    [InlineData("src=192.0.2.7:40000&dst=10.100.0.9:443&proto=udp&cid=410003040506070", "cid has an odd number of hex digits (15)")]
    [InlineData("src=192.0.2.7:40000&dst=10.100.0.9:443&proto=udp&cid=41000304050607", "cid is 7 bytes (14 hex digits): a connection id to route by is 8 to 20 bytes")]
    [InlineData("src=192.0.2.7:40000&dst=10.100.0.9:443&proto=udp&cid=410003040506070041000304050607004100030405", "cid is 21 bytes (42 hex digits)")]
    [InlineData("src=192.0.2.7:40000&dst=10.100.0.9:443&proto=udp&cid=", "cid: give the destination connection id as 16 to 40 hex digits (8 to 20 bytes)")]
    [InlineData("src=192.0.2.7:40000&dst=10.100.0.9:443&proto=udp&cid=0x", "cid: give the destination connection id")]
    [InlineData("src=192.0.2.7:40000&dst=10.100.0.9:443&proto=udp&cid=4100030405060700&cid=4100830405060700", "is not hex")]
    [InlineData("src=192.0.2.7:40000&dst=10.100.0.9:443&proto=icmp&cid=4100030405060700", "protocol 'icmp' is not tcp or udp")]
    public async Task A_cid_that_cannot_be_asked_about_is_a_400_naming_the_rule(string query, string expected)
    {
        ApiResponse response = await _api.Get("/flow?" + query);

        Assert.Equal(400, response.Status);
        Assert.Contains(expected, string.Join("; ", response.Errors()));
    }

    [Fact]
    public async Task A_cid_of_thousands_of_digits_is_refused_by_its_length_and_echoed_shortened()
    {
        ApiResponse response = await _api.Get($"{Flow}&cid={new string('a', 4000)}");
        Assert.Equal(400, response.Status);
        Assert.Contains("cid is 2000 bytes (4000 hex digits)", string.Join("; ", response.Errors()));

        response = await _api.Get($"{Flow}&cid={new string('g', 4000)}");
        Assert.Equal(400, response.Status);
        string error = Assert.Single(response.Errors());
        Assert.True(error.Length < 200, error);
    }

    [Fact]
    public async Task The_cli_prints_where_the_cid_s_packets_go_and_its_json()
    {
        (int exitCode, string output, string errors) = await CliRun.Invoke("flow", "192.0.2.7:40000", "10.100.0.9:443", "udp", "--cid", Cid1024, "--api", _api.Address);

        Assert.True(exitCode == 0, errors);
        Assert.Contains("  quic cid      v1 server id 1024 -> 10.0.5.1 (cid_routed)\n", output);
        Assert.Contains($"  backend       {MaglevChoice()} (id ", output);

        (exitCode, output, errors) = await CliRun.Invoke("flow", "192.0.2.7:40000", "10.100.0.9:443", "udp", "--cid", "4111000000000000", "--api", _api.Address);
        Assert.True(exitCode == 0, errors);
        Assert.Contains($"  quic cid      v1 server id 1092, unknown: Maglev choice -> {MaglevChoice()} (unknown_server_id)\n", output);

        (exitCode, output, errors) = await CliRun.Invoke("flow", "192.0.2.7:40000", "10.100.0.9:443", "udp", "--cid", "0000030405060700", "--api", _api.Address);
        Assert.True(exitCode == 0, errors);
        Assert.Contains($"  quic cid      v0, no server id: Maglev choice -> {MaglevChoice()} (maglev_routed)\n", output);

        (exitCode, output, errors) = await CliRun.Invoke("flow", "192.0.2.7:40000", "10.100.0.9:443", "udp", "--cid", Cid1024, "--json", "--api", _api.Address);
        Assert.True(exitCode == 0, errors);
        JsonElement quic = JsonDocument.Parse(output).RootElement.GetProperty("quic");
        Assert.Equal("cid_routed", quic.GetProperty("outcome").GetString());
        Assert.Equal(1024, quic.GetProperty("server_id").GetInt32());
    }

    [Theory]
    [InlineData("tcp", "4100030405060700", "forwarder flow: cid: a QUIC connection id is asked only of a quic VIP, which is udp: give proto=udp")]
    [InlineData("udp", "41000304050607", "forwarder flow: cid is 7 bytes")]
    [InlineData("udp", "not-hex-at-all!!", "forwarder flow: cid 'not-hex-at-all!!' is not hex")]
    public async Task The_cli_refuses_a_malformed_cid_before_asking(string protocol, string cid, string expected)
    {
        await _api.Server.DisposeAsync(); // nothing answers: the query must be refused before any request

        (int exitCode, string output, string errors) = await CliRun.Invoke("flow", "192.0.2.7:40000", "10.100.0.9:443", protocol, "--cid", cid, "--api", _api.Address);

        Assert.Equal(2, exitCode);
        Assert.Empty(output);
        Assert.StartsWith(expected, errors);
    }

    [Fact]
    public async Task The_cli_names_a_vip_without_quic_and_exits_1()
    {
        (int exitCode, string output, string errors) = await CliRun.Invoke("flow", "192.0.2.7:40000", "10.100.0.2:53", "udp", "--cid", Cid1024, "--api", _api.Address);

        Assert.Equal(1, exitCode);
        Assert.Empty(output);
        Assert.Contains("cid only for a quic VIP; 10.100.0.2:53/udp has quic off", errors);
    }

    /// <summary>The backend Maglev alone picks for the test's flow (192.0.2.7:40000 to the quic VIP).</summary>
    private string MaglevChoice()
    {
        ConfiguredVip vip = _api.Forwarder.Runtime.Published.Vips.Single(v => v.Config.Quic);
        FlowChoice choice = FlowDecision.Decide(vip.Entry, WireAddress.FromIPAddress(IPAddress.Parse("192.0.2.7")), FlowHash.PortsWord(40000, 443));
        return vip.Backends[choice.Backend].Address.ToString();
    }
}
