using System.Runtime.Versioning;

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
        await Task.Delay(100);
        _api.Forwarder.Runtime.Snapshots.Current.Counters[0].VipPackets[0] += 1000;

        (int exitCode, string output, string errors) = await run;

        Assert.True(exitCode == 0, errors);
        Assert.Contains("forwarder on eth0 · table version 1", output);
        Assert.Contains("queues", output);
        Assert.Contains(ApiConfigs.Vip, output);
        Assert.Contains("10.0.0.3", output);
        Assert.Contains(_api.Forwarder.Runtime.Snapshots.Current.Vips[0].Digest, output);
        Assert.Contains("unknown_vip", output);
        Assert.Contains("tx_ring_full", output);
        Assert.Matches(@"10\.100\.0\.1:80/tcp\s*│\s*│\s*│\s*[1-9][0-9.]* k?pps", output); // 1000 packets over about 0.5 s
    }

    [Fact]
    public async Task With_no_forwarder_running_it_says_so_and_exits_1()
    {
        await _api.Server.DisposeAsync();

        (int exitCode, _, string errors) = await CliRun.Invoke("stats", "--once", "--api", _api.Address);

        Assert.Equal(1, exitCode);
        Assert.StartsWith("no forwarder answers at", errors);
    }
}
