using System.Net;
using System.Runtime.Versioning;
using System.Text.Json;
using Forwarder.Configuration;
using Forwarder.Cli;
using Forwarder.DataPlane;
using Forwarder.Steering;
using Forwarder.ControlPlane;

namespace Forwarder.Tests.Api;

/// <summary><c>GET /vips</c>, <c>POST /vips</c>, <c>DELETE /vips/{address}/{port}/{protocol}</c>.</summary>
[SupportedOSPlatform("linux")]
public sealed class VipEndpointTests : IAsyncLifetime
{
    private const string NewVip = """
        {
          "address": "10.100.0.9",
          "port": 443,
          "protocol": "tcp",
          "mode": "ipip",
          "backends": [{"address": "10.0.0.7", "weight": 3}, {"address": "10.0.0.8"}]
        }
        """;

    private TestApi _api = null!;

    public async Task InitializeAsync() => _api = await TestApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task List_gives_every_vip_in_the_configuration_file_s_field_names()
    {
        JsonElement list = await _api.GetJson("/vips");

        Assert.Equal(1, list.GetProperty("version").GetInt64());
        JsonElement vip = Assert.Single(list.GetProperty("vips").EnumerateArray());
        Assert.Equal("10.100.0.1", vip.GetProperty("address").GetString());
        Assert.Equal(80, vip.GetProperty("port").GetInt32());
        Assert.Equal("tcp", vip.GetProperty("protocol").GetString());
        Assert.Equal("ipip", vip.GetProperty("mode").GetString());
        Assert.Equal(65537, vip.GetProperty("maglev").GetProperty("ring_size").GetInt32());
        Assert.Equal(["10.0.0.1", "10.0.0.2", "10.0.0.3"], vip.GetProperty("backends").EnumerateArray().Select(b => b.GetProperty("address").GetString()));
    }

    [Fact]
    public async Task An_added_vip_is_published_in_a_new_snapshot_and_steered()
    {
        long version = ApiAssert.Applied(await _api.Send(HttpMethod.Post, "/vips", NewVip));

        Assert.Equal(2, version);
        Assert.Equal(2, _api.Forwarder.Version);
        ConfiguredVip added = _api.Forwarder.Runtime.Published.Vips.Single(v => v.Config.Port == 443);
        Assert.Equal(3u, added.Config.Backends.Single(b => b.Address.Equals(IPAddress.Parse("10.0.0.7"))).Weight);
        Assert.Contains(VipMapKey.Create(IPAddress.Parse("10.100.0.9"), 443, System.Net.Sockets.ProtocolType.Tcp), _api.Forwarder.Maps.Vips);
    }

    [Fact]
    public async Task A_vip_from_the_list_can_be_sent_back_as_it_is()
    {
        JsonElement listed = (await _api.GetJson("/vips")).GetProperty("vips")[0];
        ApiAssert.Applied(await _api.Send(HttpMethod.Delete, ApiConfigs.VipPath));

        ApiAssert.Applied(await _api.Send(HttpMethod.Post, "/vips", listed.GetRawText()));

        Assert.Equal(TestConfigsBase().Vips, _api.Forwarder.Runtime.Config.Vips);
    }

    [Fact]
    public async Task An_invalid_vip_is_refused_with_every_problem_named_and_the_old_version_kept()
    {
        string body = """{"address": "10.100.0.300", "port": "80", "protocl": "tcp", "backends": [{"address": "10.0.0.1", "weight": -1}]}""";

        IReadOnlyList<string> errors = ApiAssert.Error(await _api.Send(HttpMethod.Post, "/vips", body), 400);

        Assert.Contains(errors, e => e.StartsWith("address: '10.100.0.300'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("port:", StringComparison.Ordinal) && e.Contains("without quotes"));
        Assert.Contains(errors, e => e.Contains("unknown key 'protocl'") && e.Contains("did you mean 'protocol'"));
        Assert.Contains(errors, e => e.StartsWith("backends[0].weight:", StringComparison.Ordinal));
        Assert.Equal(1, _api.Forwarder.Version);
        Assert.Single(_api.Forwarder.Runtime.Config.Vips);
        Assert.Equal(1, _api.Forwarder.Runtime.RefusedChanges);
    }

    [Fact]
    public async Task A_vip_that_breaks_a_rule_of_the_whole_file_is_refused_by_the_runtime()
    {
        string body = """{"address": "10.100.0.1", "port": 80, "backends": []}"""; // protocol any: tcp overlaps the VIP there

        ApiResponse response = await _api.Send(HttpMethod.Post, "/vips", body);

        string error = Assert.Single(ApiAssert.Error(response, 400));
        Assert.Equal("vips[1]: 10.100.0.1 port 80 tcp is already served by vips[0]; a VIP is one address, port and protocol", error);
        Assert.Equal(1, JsonDocument.Parse(response.Body).RootElement.GetProperty("version").GetInt64());
        Assert.Equal(1, _api.Forwarder.Version);
    }

    [Fact]
    public async Task A_vip_that_exists_is_refused()
    {
        string body = """{"address": "10.100.0.1", "port": 80, "protocol": "tcp", "backends": []}""";

        IReadOnlyList<string> errors = ApiAssert.Error(await _api.Send(HttpMethod.Post, "/vips", body), 400);

        Assert.Contains("VIP 10.100.0.1:80/tcp already exists", errors[0]);
        Assert.Equal(1, _api.Forwarder.Version);
    }

    [Theory]
    [InlineData("", "no body")]
    [InlineData("{\"address\": ", "not valid JSON")]
    [InlineData("[1, 2]", "expected a VIP")]
    public async Task A_body_that_is_not_a_vip_is_refused(string body, string fragment)
    {
        IReadOnlyList<string> errors = ApiAssert.Error(await _api.Send(HttpMethod.Post, "/vips", body), 400);

        Assert.Contains(errors, e => e.Contains(fragment));
        Assert.Equal(1, _api.Forwarder.Version);
    }

    [Fact]
    public async Task A_removed_vip_leaves_the_snapshot_and_the_steering_maps()
    {
        long version = ApiAssert.Applied(await _api.Send(HttpMethod.Delete, ApiConfigs.VipPath));

        Assert.Equal(2, version);
        Assert.Empty(_api.Forwarder.Runtime.Snapshots.Current.Vips);
        Assert.Empty(_api.Forwarder.Maps.Vips);
    }

    [Fact]
    public async Task An_ipv6_vip_is_named_by_its_address_in_the_url()
    {
        string body = """{"address": "fc00::1", "port": 443, "protocol": "tcp", "backends": [{"address": "fc00::a"}]}""";
        ApiAssert.Applied(await _api.Send(HttpMethod.Post, "/vips", body));

        ApiAssert.Applied(await _api.Send(HttpMethod.Delete, "/vips/fc00::1/443/tcp"));

        Assert.Single(_api.Forwarder.Runtime.Config.Vips);
    }

    [Fact]
    public async Task Removing_an_unknown_vip_is_404_naming_the_vips_there_are()
    {
        IReadOnlyList<string> errors = ApiAssert.Error(await _api.Send(HttpMethod.Delete, "/vips/10.100.0.1/81/tcp"), 404);

        Assert.Equal("no VIP 10.100.0.1:81/tcp; the VIPs are: 10.100.0.1:80/tcp", errors[0]);
        Assert.Equal(1, _api.Forwarder.Version);
    }

    [Fact]
    public async Task A_malformed_vip_url_is_400()
    {
        IReadOnlyList<string> errors = ApiAssert.Error(await _api.Send(HttpMethod.Delete, "/vips/10.100.0/80000/sctp"), 400);

        Assert.Contains(errors, e => e.Contains("'10.100.0'"));
        Assert.Contains(errors, e => e.Contains("'80000'"));
        Assert.Contains(errors, e => e.Contains("'sctp'"));
    }

    private static ForwarderConfig TestConfigsBase() => Forwarder.Tests.Configuration.TestConfigs.LoadValid(ApiConfigs.Base);
}
