using System.Runtime.Versioning;
using System.Text.Json;
using Forwarder.Configuration;
using Forwarder.DataPlane;

namespace Forwarder.Tests.Api;

/// <summary>A quic VIP and server ids through the API: added, listed back as sent, refused by the file's rules, counted in the status.</summary>
[SupportedOSPlatform("linux")]
public sealed class QuicApiTests : IAsyncLifetime
{
    private const string QuicVip = """{"address": "10.100.0.9", "port": 443, "protocol": "udp", "quic": true, "backends": [{"address": "10.0.5.1", "server_id": 1024}, {"address": "10.0.5.2", "server_id": 1026}]}""";
    private const string QuicPath = "/vips/10.100.0.9/443/udp";
    private TestApi _api = null!;

    public async Task InitializeAsync() => _api = await TestApi.StartAsync(new TestForwarder(ApiConfigs.Base + ApiConfigs.NatVip));

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task A_quic_vip_is_added_with_its_server_ids_and_listed_back_as_it_was_sent()
    {
        ApiAssert.Applied(await _api.Send(HttpMethod.Post, "/vips", QuicVip));

        VipConfig vip = _api.Forwarder.Runtime.Config.Vips.Single(v => v.Quic);
        Assert.Equal([1024u, 1026u], vip.Backends.Select(b => b.ServerId!.Value));
        QuicServerIds ids = _api.Forwarder.Runtime.Published.Vips.Single(v => v.Config.Quic).Entry.Quic!;
        Assert.Equal(1, ids.Find(1026));
        JsonElement listed = (await _api.GetJson("/vips")).GetProperty("vips").EnumerateArray().Single(v => v.GetProperty("address").GetString() == "10.100.0.9");
        Assert.True(listed.GetProperty("quic").GetBoolean());
        Assert.Equal(1024, listed.GetProperty("backends")[0].GetProperty("server_id").GetInt64());

        ApiAssert.Applied(await _api.Send(HttpMethod.Delete, QuicPath));
        ApiAssert.Applied(await _api.Send(HttpMethod.Post, "/vips", listed.GetRawText()));
        Assert.Equal(vip, _api.Forwarder.Runtime.Config.Vips.Single(v => v.Quic));
    }

    [Fact]
    public async Task A_backend_added_with_a_server_id_another_backend_has_is_refused_and_nothing_changes()
    {
        ApiAssert.Applied(await _api.Send(HttpMethod.Post, "/vips", QuicVip));
        long version = _api.Forwarder.Version;

        IReadOnlyList<string> errors = ApiAssert.Error(await _api.Send(HttpMethod.Post, $"{QuicPath}/backends", """{"address": "10.0.5.3", "server_id": 1024}"""), 400);

        Assert.Contains(errors, e => e.Contains("server id 1024 is already backends[0]'s", StringComparison.Ordinal));
        Assert.Equal(version, _api.Forwarder.Version);
        ApiAssert.Applied(await _api.Send(HttpMethod.Post, $"{QuicPath}/backends", """{"address": "10.0.5.3", "server_id": 1025}"""));
    }

    [Theory]
    [InlineData("/vips/10.100.0.1/80/tcp/backends", """{"address": "10.0.0.9", "server_id": 5}""", "a server id is used only by a quic VIP")]
    [InlineData("/vips", """{"address": "10.100.0.9", "port": 443, "protocol": "tcp", "quic": true, "backends": []}""", "set protocol: udp on this VIP")]
    [InlineData("/vips", """{"address": "10.100.0.9", "port": 443, "protocol": "udp", "quic": "yes", "backends": []}""", "quic: expected true or false, got 'yes'")]
    [InlineData("/vips", """{"address": "10.100.0.9", "port": 443, "protocol": "udp", "quic": true, "backends": [{"address": "10.0.5.1", "server_id": 0}]}""", "0 is not a server id")]
    public async Task Quic_settings_the_file_would_refuse_are_refused_by_the_api(string path, string body, string fragment)
    {
        IReadOnlyList<string> errors = ApiAssert.Error(await _api.Send(HttpMethod.Post, path, body), 400);

        Assert.Contains(errors, e => e.Contains(fragment, StringComparison.Ordinal));
        Assert.Equal(1, _api.Forwarder.Version);
    }

    [Fact]
    public async Task The_status_names_a_quic_vips_counters_and_no_other_vip_has_them()
    {
        ApiAssert.Applied(await _api.Send(HttpMethod.Post, "/vips", QuicVip));

        JsonElement vips = (await _api.GetJson("/status")).GetProperty("vips");

        JsonElement quic = vips.EnumerateArray().Single(v => v.GetProperty("address").GetString() == "10.100.0.9").GetProperty("quic");
        Assert.Equal(["cid_routed", "maglev_routed", "initial", "unknown_server_id", "retired_server_id", "cid_v0", "cid_v1", "cid_v2", "cid_v3"],
            quic.EnumerateObject().Select(p => p.Name));
        Assert.All(vips.EnumerateArray().Where(v => v.GetProperty("address").GetString() != "10.100.0.9"), v => Assert.False(v.TryGetProperty("quic", out _)));
    }

    [Fact]
    public void Forwarder_status_prints_a_quic_line_under_the_vip()
    {
        var counts = new Dictionary<string, long> { ["cid_routed"] = 41, ["maglev_routed"] = 3, ["initial"] = 2 };

        Assert.Equal("  quic: cid_routed 41, maglev_routed 3, initial 2", Forwarder.Cli.StatusText.QuicLine(counts));
    }
}
