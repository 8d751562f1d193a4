using System.Net;
using System.Runtime.Versioning;
using System.Text.Json;
using Forwarder.ControlPlane;

namespace Forwarder.Tests.Api;

/// <summary><c>POST /vips</c> with <c>allowed_sources</c> and hash flags: taken into the published snapshot, listed back, refused with the entry named when wrong.</summary>
[SupportedOSPlatform("linux")]
public sealed class VipAllowedSourcesApiTests : IAsyncLifetime
{
    private TestApi _api = null!;

    public async Task InitializeAsync() => _api = await TestApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task A_vip_with_a_list_and_a_flag_is_published_and_listed_back()
    {
        const string body = """
            {"address": "10.100.0.9", "port": 53, "protocol": "udp", "flags": ["dport_only"],
             "allowed_sources": ["192.168.0.0/16", "10.1.2.3"], "backends": [{"address": "10.0.0.7"}]}
            """;
        ApiAssert.Applied(await _api.Send(HttpMethod.Post, "/vips", body));

        ConfiguredVip added = _api.Forwarder.Runtime.Published.Vips.Single(v => v.Config.Port == 53);
        Assert.NotNull(added.Entry.AllowedSources);
        Assert.True(added.Entry.AllowedSources!.Allows(global::Forwarder.Packets.WireAddress.FromIPAddress(IPAddress.Parse("10.1.2.3"))));
        JsonElement listed = (await _api.GetJson("/vips")).GetProperty("vips").EnumerateArray().Single(v => v.GetProperty("port").GetInt32() == 53);
        Assert.Equal(["192.168.0.0/16", "10.1.2.3/32"], listed.GetProperty("allowed_sources").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(["dport_only"], listed.GetProperty("flags").EnumerateArray().Select(p => p.GetString()));

        JsonElement outside = await _api.GetJson("/flow?src=192.0.2.1:1000&dst=10.100.0.9:53&proto=udp");
        Assert.Contains(outside.GetProperty("notes").EnumerateArray(), n => n.GetString()!.Contains("source_not_allowed", StringComparison.Ordinal));
        Assert.Equal(["dport_only"], outside.GetProperty("hash_options").EnumerateArray().Select(o => o.GetString()));
        Assert.Equal(53, outside.GetProperty("hashed_source_port").GetInt32());
        JsonElement inside = await _api.GetJson("/flow?src=192.168.7.7:1000&dst=10.100.0.9:53&proto=udp");
        Assert.DoesNotContain(inside.GetProperty("notes").EnumerateArray(), n => n.GetString()!.Contains("source_not_allowed", StringComparison.Ordinal));
        Assert.Equal(outside.GetProperty("flow_hash").GetUInt32(), inside.GetProperty("flow_hash").GetUInt32()); // dport_only: one hash for every client
    }

    [Fact]
    public async Task A_bad_prefix_or_flag_pair_is_refused_and_the_old_version_kept()
    {
        const string body = """
            {"address": "10.100.0.9", "flags": ["dport_only", "no_source_port"], "allowed_sources": ["10.0.0.1/8", "2001:db8::/32"],
             "backends": [{"address": "10.0.0.7"}]}
            """;
        IReadOnlyList<string> errors = ApiAssert.Error(await _api.Send(HttpMethod.Post, "/vips", body), 400);

        Assert.Contains(errors, e => e.StartsWith("allowed_sources[0]:", StringComparison.Ordinal) && e.Contains("did you mean 10.0.0.0/8?"));
        Assert.Contains(errors, e => e.StartsWith("allowed_sources[1]:", StringComparison.Ordinal) && e.Contains("only receives IPv4 clients"));
        Assert.Contains(errors, e => e.StartsWith("flags:", StringComparison.Ordinal) && e.Contains("exclude each other"));
        Assert.Equal(1, _api.Forwarder.Version);
    }
}
