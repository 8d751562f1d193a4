using System.Runtime.Versioning;
using System.Text.Json;
using Forwarder.Liveness;
using Forwarder.Metrics;
using Forwarder.Tests.Api;
using Microsoft.Extensions.Logging.Abstractions;

namespace Forwarder.Tests.Liveness;

/// <summary>
/// <c>POST /drain</c> and <c>forwarder drain</c>: answered at once with the state (202), harmless twice, refused with
/// what to do when there is no liveness device; the state shows in <c>GET /status</c>, <c>forwarder status</c> and the metrics.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class DrainApiTests : IAsyncLifetime
{
    private readonly FakeClock _clock = new();
    private readonly FakeSwitch _device = new();
    private TestApi _api = null!;
    private TestForwarder _forwarder = null!;

    public async Task InitializeAsync()
    {
        _forwarder = new TestForwarder();
        var controller = new LivenessController(_device, new LivenessOptions { DeviceName = "fwd0" }, () => 0, () => _clock.Now, NullLogger.Instance);
        controller.Serving();
        _forwarder.LivenessControl = controller;
        _api = await TestApi.StartAsync(_forwarder);
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync(); // disposes the forwarder too
    }

    [Fact]
    public async Task Post_drain_answers_202_at_once_and_takes_the_device_down()
    {
        Forwarder.Cli.ApiResponse response = await _api.Send(HttpMethod.Post, "/drain");

        Assert.True(response.Status == 202, response.Body);
        JsonElement state = JsonDocument.Parse(response.Body).RootElement;
        Assert.Equal("fwd0", state.GetProperty("device").GetString());
        Assert.False(state.GetProperty("device_up").GetBoolean());
        Assert.True(state.GetProperty("draining").GetBoolean());
        Assert.Equal("POST /drain", state.GetProperty("drain_trigger").GetString());
        Assert.Equal([true, false], _device.Switches);
    }

    [Fact]
    public async Task A_second_drain_is_harmless()
    {
        await _api.Send(HttpMethod.Post, "/drain");
        _clock.Advance(TimeSpan.FromSeconds(1));

        Forwarder.Cli.ApiResponse again = await _api.Send(HttpMethod.Post, "/drain");

        Assert.Equal(202, again.Status);
        Assert.Equal(1.0, JsonDocument.Parse(again.Body).RootElement.GetProperty("drain_seconds").GetDouble());
        Assert.Equal([true, false], _device.Switches);
    }

    [Fact]
    public async Task Status_and_metrics_show_the_device_and_the_drain()
    {
        JsonElement before = (await _api.GetJson("/status")).GetProperty("liveness");
        Assert.True(before.GetProperty("device_up").GetBoolean());

        await _api.Send(HttpMethod.Post, "/drain");

        JsonElement after = (await _api.GetJson("/status")).GetProperty("liveness");
        Assert.True(after.GetProperty("draining").GetBoolean());
        string metrics = (await _api.Get("/metrics")).Body;
        IReadOnlyDictionary<string, Forwarder.Tests.Metrics.StrictPrometheusParser.Family> parsed = Forwarder.Tests.Metrics.StrictPrometheusParser.Parse(metrics);
        Assert.Equal(0, Assert.Single(parsed["forwarder_liveness_device_up"].Samples).Value);
        Assert.Equal("fwd0", Assert.Single(parsed["forwarder_liveness_device_up"].Samples).Labels["device"]);
        Assert.Equal(1, Assert.Single(parsed["forwarder_draining"].Samples).Value);
        Assert.Equal(0, Assert.Single(parsed["forwarder_watchdog_stalls_total"].Samples).Value);
    }

    [Fact]
    public async Task The_cli_drains_and_status_prints_the_device()
    {
        (int exitCode, string output, string errors) = await CliRun.Invoke("drain", "--api", _api.Address);

        Assert.True(exitCode == 0, errors);
        Assert.Equal("liveness device fwd0: down, draining for 0.0 s (POST /drain); 0 watchdog stall(s)\n", output);
        (_, string status, _) = await CliRun.Invoke("status", "--api", _api.Address);
        Assert.Contains("liveness device fwd0: down, draining", status);
    }

    [Fact]
    public async Task Stats_shows_the_device_and_why_it_is_down_as_status_does()
    {
        (_, string upText, _) = await CliRun.Invoke("stats", "--once", "--interval", "0.2", "--api", _api.Address);
        Assert.Contains("liveness device fwd0: up; 0 watchdog stall(s)", upText);

        await _api.Send(HttpMethod.Post, "/drain");

        (int exitCode, string text, string errors) = await CliRun.Invoke("stats", "--once", "--interval", "0.2", "--api", _api.Address);
        Assert.True(exitCode == 0, errors);
        Assert.Contains("liveness device fwd0: down, draining for ", text);
        Assert.Contains("(POST /drain); 0 watchdog stall(s)", text);
        (exitCode, string json, errors) = await CliRun.Invoke("stats", "--json", "--interval", "0.2", "--api", _api.Address);
        Assert.True(exitCode == 0, errors);
        JsonElement liveness = JsonDocument.Parse(json).RootElement.GetProperty("liveness");
        Assert.Equal("fwd0", liveness.GetProperty("device").GetString());
        Assert.False(liveness.GetProperty("device_up").GetBoolean());
        Assert.True(liveness.GetProperty("draining").GetBoolean());
        Assert.Equal("POST /drain", liveness.GetProperty("drain_trigger").GetString());
        Assert.False(liveness.GetProperty("watchdog_withdrawn").GetBoolean());
    }

    [Fact]
    public async Task Without_a_liveness_device_drain_is_refused_with_what_to_do_and_metrics_leave_it_out()
    {
        await using TestApi api = await TestApi.StartAsync(new TestForwarder());

        Forwarder.Cli.ApiResponse response = await api.Send(HttpMethod.Post, "/drain");
        (int exitCode, _, string errors) = await CliRun.Invoke("drain", "--api", api.Address);

        Assert.Equal(409, response.Status);
        Assert.Contains("--liveness-device NAME", response.Body);
        Assert.Equal(1, exitCode);
        Assert.Contains("without a liveness device", errors);
        Assert.DoesNotContain("forwarder_liveness_device_up", (await api.Get("/metrics")).Body);
        Assert.False((await api.GetJson("/status")).TryGetProperty("liveness", out _)); // status as before
        (_, string stats, _) = await CliRun.Invoke("stats", "--json", "--interval", "0.2", "--api", api.Address);
        Assert.False(JsonDocument.Parse(stats).RootElement.TryGetProperty("liveness", out _));
    }
}
