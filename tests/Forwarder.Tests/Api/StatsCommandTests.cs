using System.Runtime.Versioning;
using System.Text.Json;

namespace Forwarder.Tests.Api;

/// <summary><c>forwarder stats --once</c>: one table of rates from two readings of <c>/metrics</c>.</summary>
[SupportedOSPlatform("linux")]
public sealed class StatsCommandTests : IAsyncLifetime
{
    private TestApi _api = null!;

    public async Task InitializeAsync() => _api = await TestApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Once_prints_queues_vips_backends_and_drops_then_exits()
    {
        Task<(int ExitCode, string Output, string Errors)> run = CliRun.Invoke("stats", "--once", "--interval", "0.5", "--api", _api.Address);
        (int exitCode, string output, string errors) = await WhileCounting(run);

        Assert.True(exitCode == 0, errors);
        Assert.Contains("forwarder on eth0 · table version 1", output);
        Assert.Contains("queues", output);
        Assert.Contains(ApiConfigs.Vip, output);
        Assert.Contains("10.0.0.3", output);
        Assert.Contains(_api.Forwarder.Runtime.Snapshots.Current.Vips[0].Digest, output);
        Assert.Contains("unknown_vip", output);
        Assert.Contains("tx_ring_full", output);
        Assert.Matches(@"10\.100\.0\.1:80/tcp\s*│\s*│\s*│\s*[1-9][0-9.]* k?pps", output); // 1000 packets every 50 ms over about 0.5 s
    }

    /// <summary>
    /// Adds VIP packets every 50 ms until <paramref name="run"/> ends (at most 30 s), so they fall between its two
    /// readings however late a loaded machine lets it take the first.
    /// </summary>
    private async Task<T> WhileCounting<T>(Task<T> run)
    {
        for (int round = 0; round < 600 && !run.IsCompleted; round++)
        {
            _api.Forwarder.Runtime.Snapshots.Current.Counters[0].VipPackets[0] += 1000;
            await Task.WhenAny(run, Task.Delay(50));
        }
        return await run;
    }

    [Fact]
    public async Task With_no_forwarder_running_it_says_so_and_exits_1()
    {
        await _api.Server.DisposeAsync();

        (int exitCode, _, string errors) = await CliRun.Invoke("stats", "--once", "--api", _api.Address);

        Assert.Equal(1, exitCode);
        Assert.StartsWith("no forwarder answers at", errors);
    }

    [Fact]
    public async Task Once_json_prints_one_reading_with_rates_counters_and_health()
    {
        Task<(int ExitCode, string Output, string Errors)> run = CliRun.Invoke("stats", "--once", "--json", "--interval", "0.5", "--api", _api.Address);
        (int exitCode, string output, string errors) = await WhileCounting(run);

        Assert.True(exitCode == 0, errors);
        JsonElement stats = JsonDocument.Parse(output).RootElement;
        Assert.Equal("eth0", stats.GetProperty("interface").GetString());
        Assert.Equal(1, stats.GetProperty("table_version").GetInt64());
        Assert.InRange(stats.GetProperty("seconds").GetDouble(), 0.4, 30);
        JsonElement queue = stats.GetProperty("queues")[0];
        Assert.Equal(1000, queue.GetProperty("rx_packets").GetInt64());
        Assert.True(queue.GetProperty("drop_reasons").TryGetProperty("unknown_vip", out _), output);
        Assert.True(queue.GetProperty("drop_reasons").TryGetProperty("tx_ring_full", out _), output);
        JsonElement xdp = stats.GetProperty("xdp");
        foreach (string counter in new[] { "seen", "redirected", "passed", "host_passed", "no_socket", "malformed", "redirected_pps" })
            Assert.True(xdp.TryGetProperty(counter, out _), $"no xdp.{counter} in {output}");
        JsonElement vip = stats.GetProperty("vips").EnumerateArray().Single(v => v.GetProperty("vip").GetString() == ApiConfigs.Vip);
        Assert.Equal(_api.Forwarder.Runtime.Snapshots.Current.Vips[0].Digest, vip.GetProperty("digest").GetString());
        Assert.InRange(vip.GetProperty("pps").GetDouble(), 1, 1e6); // 1000 packets every 50 ms over about 0.5 s
        JsonElement backend = vip.GetProperty("backends").EnumerateArray().Single(b => b.GetProperty("backend").GetString() == "10.0.0.3");
        Assert.Equal("up", backend.GetProperty("health").GetString());
        Assert.True(backend.TryGetProperty("pps", out _), output);
    }

    [Fact]
    public async Task Json_alone_takes_one_reading_and_exits()
    {
        (int exitCode, string output, string errors) = await CliRun.Invoke("stats", "--json", "--interval", "0.2", "--api", _api.Address);

        Assert.True(exitCode == 0, errors);
        Assert.Equal(1, JsonDocument.Parse(output).RootElement.GetProperty("table_version").GetInt64());
    }

    [Fact]
    public async Task Json_with_no_forwarder_running_says_so_and_exits_1()
    {
        await _api.Server.DisposeAsync();

        (int exitCode, string output, string errors) = await CliRun.Invoke("stats", "--once", "--json", "--api", _api.Address);

        Assert.Equal(1, exitCode);
        Assert.Empty(output);
        Assert.StartsWith("no forwarder answers at", errors);
    }

    [Theory]
    [InlineData("<html>not a forwarder</html>")]
    [InlineData("some_other_metric 1\n")]
    [InlineData("")]
    public async Task An_answer_that_is_not_a_forwarder_s_metrics_is_a_clear_error_and_exit_1(string body)
    {
        using var garbage = new GarbageApi(body);

        (int exitCode, string output, string errors) = await CliRun.Invoke("stats", "--once", "--json", "--interval", "0.1", "--api", garbage.Address);

        Assert.Equal(1, exitCode);
        Assert.Empty(output);
        Assert.StartsWith($"forwarder stats: the answer at {garbage.Address} is not a forwarder's metrics: ", errors);
        Assert.DoesNotContain("   at ", errors); // no stack trace
    }
}
