using System.Net;
using System.Runtime.Versioning;
using System.Text.Json;
using Forwarder.Announce;
using Forwarder.Tests.Metrics;

namespace Forwarder.Tests.Api;

/// <summary>What <c>/status</c>, <c>forwarder status</c> and <c>/metrics</c> show of announcing, and that nothing shows without it.</summary>
[SupportedOSPlatform("linux")]
public sealed class AnnounceStatusTests : IAsyncLifetime
{
    private TestApi _api = null!;

    private static readonly AnnounceReading Reading = new(
        AnnounceState.Announcing, true, null,
        [
            new("10.100.0.1:80/tcp", IPAddress.Parse("10.100.0.1"), true, "3 healthy backend(s)", "abc"),
            new("10.100.0.2:53/udp", IPAddress.Parse("10.100.0.2"), false, "0 healthy backend(s), fewer than min_healthy_backends 1", "none"),
        ],
        [new("rtr", "BGP", true), new("bfd1", "BFD", false), new("device1", "Device", true)],
        AnnounceReading.NoErrors.ToDictionary(e => e.Key, e => e.Key == BirdErrorKind.Timeout ? 4L : e.Value),
        "/run/bird/bird.ctl", "/run/forwarder/bird-vips.conf");

    public async Task InitializeAsync() => _api = await TestApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Without_announcing_status_and_metrics_show_none_of_it()
    {
        JsonElement status = await _api.GetJson("/status");
        Assert.False(status.TryGetProperty("announce", out _));
        string metrics = (await _api.Get("/metrics")).Body;
        Assert.DoesNotContain("announce", metrics, StringComparison.Ordinal);
        (int exitCode, string output, _) = await CliRun.Invoke("status", "--api", _api.Address);
        Assert.Equal(0, exitCode);
        Assert.DoesNotContain("announce", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_has_the_state_each_vip_with_its_reason_and_birds_protocols()
    {
        _api.Forwarder.Announce = Reading;
        JsonElement announce = (await _api.GetJson("/status")).GetProperty("announce");
        Assert.Equal("announcing", announce.GetProperty("state").GetString());
        Assert.True(announce.GetProperty("bird_confirmed").GetBoolean());
        JsonElement held = announce.GetProperty("vips")[1];
        Assert.False(held.GetProperty("announced").GetBoolean());
        Assert.Contains("fewer than min_healthy_backends", held.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(4, announce.GetProperty("errors").GetProperty("timeout").GetInt64());

        (int exitCode, string output, string errors) = await CliRun.Invoke("status", "--api", _api.Address);
        Assert.True(exitCode == 0, errors);
        Assert.Contains("announce announcing: 1 of 2 VIP(s) announced (10.100.0.2:53/udp not: 0 healthy backend(s), fewer than min_healthy_backends 1), " +
            "BIRD took /run/forwarder/bird-vips.conf; BGP rtr up, BFD bfd1 down", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stats_shows_the_announced_vips_as_status_does()
    {
        _api.Forwarder.Announce = Reading;

        (int exitCode, string text, string errors) = await CliRun.Invoke("stats", "--once", "--interval", "0.2", "--api", _api.Address);
        Assert.True(exitCode == 0, errors);
        Assert.Contains("announce announcing: 1 of 2 VIP(s) announced (10.100.0.2:53/udp not: 0 healthy backend(s), fewer than min_healthy_backends 1)", text, StringComparison.Ordinal);
        (exitCode, string json, errors) = await CliRun.Invoke("stats", "--json", "--interval", "0.2", "--api", _api.Address);
        Assert.True(exitCode == 0, errors);
        JsonElement vips = JsonDocument.Parse(json).RootElement.GetProperty("announce").GetProperty("vips");
        Assert.True(vips[0].GetProperty("announced").GetBoolean());
        Assert.False(vips[1].GetProperty("announced").GetBoolean());
    }

    [Fact]
    public async Task Metrics_have_the_state_each_vip_errors_by_kind_and_protocols()
    {
        _api.Forwarder.Announce = Reading with { BirdConfirmed = false, State = AnnounceState.Unconfirmed, LastError = "BIRD at /run/bird/bird.ctl did not answer" };
        var families = StrictPrometheusParser.Parse((await _api.Get("/metrics")).Body);
        Assert.Equal(3, families["forwarder_announce_state"].Samples.Single().Value);
        Assert.Equal(0, families["forwarder_announce_bird_confirmed"].Samples.Single().Value);
        Assert.All(families["forwarder_vip_announced"].Samples, s => Assert.Equal(0, s.Value)); // not confirmed: nothing is claimed
        Assert.Equal(4, families["forwarder_announce_errors_total"].Samples.Single(s => s.Labels["kind"] == "timeout").Value);
        Assert.Equal(5, families["forwarder_announce_errors_total"].Samples.Count);
        Assert.Equal(1, families["forwarder_bird_protocol_up"].Samples.Single(s => s.Labels["protocol"] == "rtr" && s.Labels["kind"] == "BGP").Value);
        Assert.Equal(0, families["forwarder_bird_protocol_up"].Samples.Single(s => s.Labels["protocol"] == "bfd1").Value);
        Assert.Equal("abc", families["forwarder_vip_digest_info"].Samples.Single(s => s.Labels["vip"] == "10.100.0.1:80/tcp").Labels["digest"]);
    }
}
