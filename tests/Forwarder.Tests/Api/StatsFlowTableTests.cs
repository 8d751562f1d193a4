using System.Runtime.Versioning;
using System.Text.Json;
using Forwarder.Metrics;

namespace Forwarder.Tests.Api;

/// <summary>
/// The connection tables in <c>/metrics</c> (per queue, SYN and non-SYN misses and the rate limit's refusals beside the
/// old counters) and in <c>forwarder stats</c>, text and JSON, summed over queues; nothing of them without a table.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class StatsFlowTableTests : IAsyncLifetime
{
    private TestApi _api = null!;

    public async Task InitializeAsync()
    {
        _api = await TestApi.StartAsync();
        _api.Forwarder.Counters.ConnectionTables =
        [
            new ConnectionTableReading(0, 1024, 10, Hits: 100, Misses: 20, Evictions: 1, Expired: 2, SynMisses: 15, NonSynMisses: 4, RateLimited: 7),
            new ConnectionTableReading(1, 1024, 30, Hits: 300, Misses: 40, Evictions: 3, Expired: 4, SynMisses: 35, NonSynMisses: 5, RateLimited: 0),
        ];
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Metrics_name_each_queues_syn_and_non_syn_misses_and_refusals_beside_the_old_counters()
    {
        string metrics = (await _api.Get("/metrics")).Body;
        Assert.Contains("forwarder_flow_table_misses_total{queue=\"0\"} 20", metrics);
        Assert.Contains("forwarder_flow_table_syn_misses_total{queue=\"0\"} 15", metrics);
        Assert.Contains("forwarder_flow_table_non_syn_misses_total{queue=\"1\"} 5", metrics);
        Assert.Contains("forwarder_flow_table_rate_limited_total{queue=\"0\"} 7", metrics);
    }

    [Fact]
    public async Task Stats_json_sums_the_tables_over_queues()
    {
        (int exitCode, string output, string errors) = await CliRun.Invoke("stats", "--json", "--interval", "0.1", "--api", _api.Address);
        Assert.True(exitCode == 0, errors);
        JsonElement table = JsonDocument.Parse(output).RootElement.GetProperty("flow_table");
        Assert.Equal(40, table.GetProperty("entries").GetInt64());
        Assert.Equal(2048, table.GetProperty("capacity").GetInt64());
        Assert.Equal(60, table.GetProperty("misses").GetInt64());
        Assert.Equal(50, table.GetProperty("syn_misses").GetInt64());
        Assert.Equal(9, table.GetProperty("non_syn_misses").GetInt64());
        Assert.Equal(7, table.GetProperty("rate_limited").GetInt64());
        Assert.Equal(4, table.GetProperty("evictions").GetInt64());
    }

    [Fact]
    public async Task Stats_text_shows_the_summed_table()
    {
        (int exitCode, string output, string errors) = await CliRun.Invoke("stats", "--once", "--interval", "0.1", "--api", _api.Address);
        Assert.True(exitCode == 0, errors);
        Assert.Contains("flow table (all queues, totals)", output);
        Assert.Contains("non-SYN misses", output);
        Assert.Matches(@"40\s*│\s*2048\s*│\s*400\s*│\s*60\s*│\s*50\s*│\s*9\s*│\s*4\s*│\s*6\s*│\s*7", output);
    }

    [Fact]
    public async Task Without_a_table_stats_show_none()
    {
        _api.Forwarder.Counters.ConnectionTables = [];
        (int exitCode, string output, string errors) = await CliRun.Invoke("stats", "--json", "--interval", "0.1", "--api", _api.Address);
        Assert.True(exitCode == 0, errors);
        Assert.False(JsonDocument.Parse(output).RootElement.TryGetProperty("flow_table", out _), output);
        (exitCode, output, _) = await CliRun.Invoke("stats", "--once", "--interval", "0.1", "--api", _api.Address);
        Assert.Equal(0, exitCode);
        Assert.DoesNotContain("flow table", output);
    }
}
