using System.Net;
using System.Runtime.Versioning;
using System.Text.Json;
using Forwarder.Configuration;
using Forwarder.ControlPlane;
using Forwarder.Tests.Configuration;
using Forwarder.DataPlane;

namespace Forwarder.Tests.Api;

/// <summary><c>GET /status</c> and <c>GET /config</c>: what a running forwarder says about itself.</summary>
[SupportedOSPlatform("linux")]
public sealed class StatusEndpointTests : IAsyncLifetime
{
    private TestApi _api = null!;

    public async Task InitializeAsync() => _api = await TestApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Status_gives_the_version_interface_queues_and_every_vip_with_its_table_digest()
    {
        _api.Forwarder.Runtime.Snapshots.Current.Counters[0].VipPackets[0] += 7;
        _api.Forwarder.Runtime.Snapshots.Current.Counters[1].VipBytes[0] += 700;

        JsonElement status = await _api.GetJson("/status");

        Assert.Equal(1, status.GetProperty("version").GetInt64());
        Assert.Equal("eth0", status.GetProperty("interface").GetString());
        JsonElement queues = status.GetProperty("queues");
        Assert.Equal(2, queues.GetArrayLength());
        Assert.Equal(1000, queues[0].GetProperty("rx_packets").GetInt64());
        Assert.Equal(4, queues[0].GetProperty("drop_reasons").GetProperty("tx_ring_full").GetInt64());
        Assert.Equal(3, queues[1].GetProperty("core").GetInt32());
        JsonElement vip = Assert.Single(status.GetProperty("vips").EnumerateArray());
        Assert.Equal(ApiConfigs.Vip, vip.GetProperty("vip").GetString());
        Assert.Equal("ipip", vip.GetProperty("mode").GetString());
        Assert.Equal(_api.Forwarder.Runtime.Snapshots.Current.Vips[0].Digest, vip.GetProperty("digest").GetString());
        Assert.Equal(65537, vip.GetProperty("ring_size").GetInt32());
        Assert.Equal(7, vip.GetProperty("packets").GetInt64());
        Assert.Equal(700, vip.GetProperty("bytes").GetInt64());
        Assert.Equal(0, status.GetProperty("refused_changes").GetInt64());
        Assert.Equal(0, status.GetProperty("api_faults").GetInt64());
        Assert.Empty(status.GetProperty("down_backends").EnumerateArray());
    }

    [Fact]
    public async Task Status_gives_each_backend_its_weight_health_and_traffic()
    {
        var vip = new VipIdentity(IPAddress.Parse("10.100.0.1"), 80, VipProtocol.Tcp);
        _api.Forwarder.Runtime.SetHealth(vip, new BackendId(IPAddress.Parse("10.0.0.2"), null), healthy: false);
        ConfiguredVip configured = _api.Forwarder.Runtime.Published.Vips[0];
        VipEntry entry = configured.Entry;
        int slot = entry.Backends[configured.Backends.ToList().FindIndex(b => b.Address.Equals(IPAddress.Parse("10.0.0.3")))].CounterIndex;
        _api.Forwarder.Runtime.Snapshots.Current.Counters[1].BackendPackets[slot] += 5;
        _api.Forwarder.Runtime.Snapshots.Current.Counters[1].BackendBytes[slot] += 500;

        JsonElement status = await _api.GetJson("/status");

        JsonElement[] backends = status.GetProperty("vips")[0].GetProperty("backends").EnumerateArray().ToArray();
        Assert.Equal(["10.0.0.1", "10.0.0.2", "10.0.0.3"], backends.Select(b => b.GetProperty("address").GetString()));
        Assert.All(backends, b => Assert.Equal(1u, b.GetProperty("weight").GetUInt32()));
        Assert.Equal(["up", "down", "up"], backends.Select(b => b.GetProperty("health").GetString()));
        Assert.Equal(5, backends[2].GetProperty("packets").GetInt64());
        Assert.Equal(500, backends[2].GetProperty("bytes").GetInt64());
        JsonElement down = Assert.Single(status.GetProperty("down_backends").EnumerateArray());
        Assert.Equal(ApiConfigs.Vip, down.GetProperty("vip").GetString());
        Assert.Equal("10.0.0.2", down.GetProperty("backend").GetString());
        Assert.Equal(2, status.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task Status_is_json_in_snake_case()
    {
        using HttpResponseMessage response = await _api.Raw(HttpMethod.Get, "/status");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        string body = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"refused_changes\"", body);
        Assert.DoesNotContain("RefusedChanges", body);
    }

    [Fact]
    public async Task Config_is_the_running_configuration_as_a_file_that_loads_back_to_it()
    {
        using HttpResponseMessage response = await _api.Raw(HttpMethod.Get, "/config");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/yaml", response.Content.Headers.ContentType?.MediaType);
        ForwarderConfig loaded = TestConfigs.LoadValid(await response.Content.ReadAsStringAsync());
        Assert.Equal(_api.Forwarder.Runtime.Config, loaded);
    }

    [Fact]
    public async Task An_unknown_endpoint_is_answered_404_with_the_list_of_endpoints()
    {
        IReadOnlyList<string> errors = ApiAssert.Error(await _api.Get("/statuss"), 404);

        Assert.Contains("GET /status", errors[0]);
        Assert.Contains("POST /reload", errors[0]);
    }

    [Fact]
    public async Task A_known_path_with_the_wrong_method_is_answered_405_with_the_list_of_endpoints()
    {
        IReadOnlyList<string> errors = ApiAssert.Error(await _api.Get("/reload"), 405);

        Assert.Contains("POST /reload", errors[0]);
    }
}
