using System.Runtime.Versioning;
using System.Text.Json;
using Forwarder.DataPlane;
using Forwarder.Tests.Metrics;

namespace Forwarder.Tests.Api;

/// <summary>
/// A VIP's refused sources where operators look: <c>forwarder_vip_source_not_allowed_total{vip}</c> for every VIP with
/// allowed sources (zeros too, no other VIP), <c>source_not_allowed</c> in <c>GET /status</c> and <c>forwarder status --json</c>
/// (null for a VIP without allowed sources), and on the VIP's line of <c>forwarder status</c>.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class SourceNotAllowedStatusTests : IAsyncLifetime
{
    private const string Refusing = "10.100.0.1:80/tcp", Quiet = "10.100.0.2:53/udp", Open = "10.100.0.3:443/tcp";

    private static readonly string Yaml = ConfigBuilder.Standard(v => v.AllowedSources("192.168.0.0/16"))
        .Vip("10.100.0.2", 53, "udp", v => v.AllowedSources("10.1.0.0/16", "203.0.113.7/32").Backends("10.0.1.1"))
        .Vip("10.100.0.3", 443, "tcp", v => v.Backends("10.0.1.2"))
        .ToYaml();

    private TestApi _api = null!;

    public async Task InitializeAsync()
    {
        _api = await TestApi.StartAsync(new TestForwarder(Yaml));
        ForwardingSnapshot snapshot = _api.Forwarder.Runtime.Snapshots.Current;
        snapshot.Counters[0].VipSourceNotAllowed[0] += 12;
        snapshot.Counters[1].VipSourceNotAllowed[0] += 5;
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task The_metric_has_every_vip_with_allowed_sources_zeros_included_and_no_other()
    {
        using HttpResponseMessage response = await _api.Raw(HttpMethod.Get, "/metrics");
        string text = await response.Content.ReadAsStringAsync();

        StrictPrometheusParser.Family family = StrictPrometheusParser.Parse(text)["forwarder_vip_source_not_allowed_total"];
        Assert.Equal("counter", family.Type);
        Assert.Equal(new Dictionary<string, double> { [Refusing] = 17, [Quiet] = 0 }, family.Samples.ToDictionary(s => s.Labels["vip"], s => s.Value));
        Assert.Contains($"forwarder_vip_source_not_allowed_total{{vip=\"{Refusing}\"}} 17\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_status_gives_each_vip_its_count_or_null()
    {
        JsonElement vips = (await _api.GetJson("/status")).GetProperty("vips");

        Dictionary<string, JsonElement> byVip = vips.EnumerateArray().ToDictionary(v => v.GetProperty("vip").GetString()!, v => v.GetProperty("source_not_allowed"));
        Assert.Equal(17, byVip[Refusing].GetInt64());
        Assert.Equal(0, byVip[Quiet].GetInt64());
        Assert.Equal(JsonValueKind.Null, byVip[Open].ValueKind);
    }

    [Fact]
    public async Task Forwarder_status_json_and_text_show_the_count()
    {
        (int exitCode, string json, string errors) = await CliRun.Invoke("status", "--json", "--api", _api.Address);
        Assert.True(exitCode == 0, errors);
        JsonElement[] vips = JsonDocument.Parse(json).RootElement.GetProperty("vips").EnumerateArray().ToArray();
        Assert.Equal([JsonValueKind.Number, JsonValueKind.Number, JsonValueKind.Null], vips.Select(v => v.GetProperty("source_not_allowed").ValueKind));

        (exitCode, string text, errors) = await CliRun.Invoke("status", "--api", _api.Address);
        Assert.True(exitCode == 0, errors);
        string[] vipLines = text.Split('\n').Where(l => l.StartsWith("vip ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(3, vipLines.Length);
        Assert.EndsWith(": 0 packets 0 B, 17 refused (source_not_allowed)", vipLines[0], StringComparison.Ordinal);
        Assert.EndsWith(": 0 packets 0 B, 0 refused (source_not_allowed)", vipLines[1], StringComparison.Ordinal);
        Assert.EndsWith(": 0 packets 0 B", vipLines[2], StringComparison.Ordinal);
    }
}
