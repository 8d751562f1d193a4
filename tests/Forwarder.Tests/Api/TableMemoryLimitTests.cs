using System.Runtime.Versioning;
using Forwarder.Configuration;

namespace Forwarder.Tests.Api;

/// <summary>The tables' memory limit holds on every change of a running forwarder — API edits and reloads — and a refusal leaves the running state as it was.</summary>
[SupportedOSPlatform("linux")]
public sealed class TableMemoryLimitTests : IAsyncLifetime
{
    /// <summary><see cref="ApiConfigs.Base"/> with a limit that holds its one VIP of the default ring size (about 330 KiB) but not a second one of ring 655373.</summary>
    private static readonly string LimitedBase = Limited().ToYaml();

    private TestApi _api = null!;

    public async Task InitializeAsync() => _api = await TestApi.StartAsync(new TestForwarder(LimitedBase));

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task An_api_change_past_the_limit_is_refused_and_the_running_configuration_stays()
    {
        Assert.Equal(1L << 20, _api.Forwarder.Runtime.Config.Limits.TableMemory);

        IReadOnlyList<string> errors = ApiAssert.Error(await _api.Send(HttpMethod.Post, "/vips",
            """{"address": "10.100.0.2", "port": 53, "protocol": "udp", "maglev": {"ring_size": 655373}, "backends": [{"address": "10.0.1.1"}]}"""), 400);

        Assert.Contains("more than limits.table_memory (1MiB)", Assert.Single(errors));
        Assert.Equal(1, _api.Forwarder.Version);
        Assert.Single(_api.Forwarder.Runtime.Config.Vips);
        Assert.Equal(1, _api.Forwarder.Runtime.RefusedChanges);
    }

    [Fact]
    public async Task An_api_change_keeps_the_limit_of_the_file()
    {
        ApiAssert.Applied(await _api.Send(HttpMethod.Put, $"{ApiConfigs.VipPath}/backends/10.0.0.1/weight", """{"weight": 4}"""));
        Assert.Equal(1L << 20, _api.Forwarder.Runtime.Config.Limits.TableMemory);
    }

    [Fact]
    public async Task A_reload_past_the_limit_is_refused_and_counted()
    {
        File.WriteAllText(_api.Forwarder.ConfigPath, Limited().Vip("10.100.0.2", 53, "udp", v => v.Maglev(ringSize: 655373).Backends("10.0.1.1")).ToYaml());

        IReadOnlyList<string> errors = ApiAssert.Error(await _api.Send(HttpMethod.Post, "/reload"), 400);

        Assert.Contains("the tables of these 2 VIP(s) need up to 3.4 MiB", Assert.Single(errors));
        Assert.Equal(1, _api.Forwarder.Version);
        Assert.Equal(1, _api.Forwarder.ReloadFailures);
        Assert.Equal(TableMemory.BytesPerVip + 65537 * TableMemory.BytesPerSlot + 3 * TableMemory.BytesPerBackend, TableMemory.Estimate(_api.Forwarder.Runtime.Config));
    }

    private static ConfigBuilder Limited() => ConfigBuilder.Standard().Setting("limits: { table_memory: 1MiB }");
}
