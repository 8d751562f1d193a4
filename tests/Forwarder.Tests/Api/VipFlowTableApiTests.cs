using System.Runtime.Versioning;
using System.Text.Json;
using Forwarder.Configuration;

namespace Forwarder.Tests.Api;

/// <summary><c>flow_table</c> through the API: a VIP added with <c>bypass</c> is published so and listed back; a bad value is a 400 naming the choices.</summary>
[SupportedOSPlatform("linux")]
public sealed class VipFlowTableApiTests : IAsyncLifetime
{
    private TestApi _api = null!;

    public async Task InitializeAsync() => _api = await TestApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task A_vip_added_with_bypass_is_published_without_the_table_and_listed_back()
    {
        ApiAssert.Applied(await _api.Send(HttpMethod.Post, "/vips",
            """{"address": "10.100.0.9", "port": 53, "protocol": "udp", "flow_table": "bypass", "backends": [{"address": "10.0.0.1"}]}"""));

        Assert.Equal(VipFlowTable.Bypass, _api.Forwarder.Runtime.Config.Vips.Single(v => v.Port == 53).FlowTable);
        Assert.True(_api.Forwarder.Runtime.Published.Vips.Single(v => v.Config.Port == 53).Entry.FlowTableBypass);
        Assert.False(_api.Forwarder.Runtime.Published.Vips.Single(v => v.Config.Port == 80).Entry.FlowTableBypass);
        JsonElement[] vips = (await _api.GetJson("/vips")).GetProperty("vips").EnumerateArray().ToArray();
        Assert.Equal("bypass", vips.Single(v => v.GetProperty("port").GetInt32() == 53).GetProperty("flow_table").GetString());
        Assert.Equal("remember", vips.Single(v => v.GetProperty("port").GetInt32() == 80).GetProperty("flow_table").GetString());
    }

    [Fact]
    public async Task A_bad_value_is_refused_naming_the_choices_and_the_version_kept()
    {
        long version = _api.Forwarder.Version;
        IReadOnlyList<string> errors = ApiAssert.Error(await _api.Send(HttpMethod.Post, "/vips",
            """{"address": "10.100.0.9", "port": 53, "protocol": "udp", "flow_table": "skip", "backends": []}"""), 400);

        Assert.Contains(errors, e => e.StartsWith("flow_table:", StringComparison.Ordinal) && e.Contains("'skip' is not one of: remember, bypass"));
        Assert.Equal(version, _api.Forwarder.Version);
    }
}
