using System.Runtime.Versioning;
using Forwarder.Configuration;

namespace Forwarder.Tests.Api;

/// <summary>
/// <c>forwarder backend ...</c> and <c>forwarder status</c> with a nat VIP that lists one address with two
/// ports: a backend is named <c>ADDRESS:PORT</c> (or the address and <c>--port</c>), and an address alone
/// that fits both is refused naming each.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class BackendNamingCliTests : IAsyncLifetime
{
    private const string NatVip = "10.100.0.3:8443/tcp";
    private TestApi _api = null!;

    public async Task InitializeAsync() => _api = await TestApi.StartAsync(new TestForwarder(ApiConfigs.Base + ApiConfigs.NatVip));

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private IReadOnlyList<BackendConfig> Backends => _api.Forwarder.Runtime.Config.Vips[1].Backends;

    [Fact]
    public async Task An_ambiguous_address_is_refused_naming_both_choices()
    {
        (int exitCode, string output, string errors) = await CliRun.Invoke("backend", "weight", NatVip, "10.0.0.21", "0", "--api", _api.Address);

        Assert.Equal(1, exitCode);
        Assert.Empty(output);
        Assert.Equal("VIP 10.100.0.3:8443/tcp has 2 backends at 10.0.0.21: 10.0.0.21:443 and 10.0.0.21:444; " +
            "name one with its port, as ADDRESS:PORT (e.g. 10.0.0.21:443) or with ?port=N\n", errors);
        Assert.Equal(1, _api.Forwarder.Version);
    }

    [Fact]
    public async Task Address_colon_port_names_one_backend()
    {
        (int exitCode, string output, string errors) = await CliRun.Invoke("backend", "weight", NatVip, "10.0.0.21:444", "0", "--api", _api.Address);

        Assert.True(exitCode == 0, errors);
        Assert.Equal("backend 10.0.0.21:444 of 10.100.0.3:8443/tcp weight 0 (draining): table version 2\n", output);
        Assert.Equal([(443, 1u), (444, 0u)], Backends.Select(b => ((int)b.Port!, b.Weight)).Order());

        (exitCode, output, errors) = await CliRun.Invoke("backend", "remove", NatVip, "10.0.0.21", "--port", "443", "--api", _api.Address);
        Assert.True(exitCode == 0, errors);
        Assert.Equal("backend 10.0.0.21:443 removed from 10.100.0.3:8443/tcp: table version 3\n", output);
        Assert.Equal((ushort)444, Assert.Single(Backends).Port);
    }

    [Fact]
    public async Task A_backend_is_added_as_address_colon_port()
    {
        (int exitCode, string output, string errors) = await CliRun.Invoke("backend", "add", NatVip, "10.0.0.21:445", "--weight", "2", "--api", _api.Address);

        Assert.True(exitCode == 0, errors);
        Assert.Equal("backend 10.0.0.21:445 added to 10.100.0.3:8443/tcp: table version 2\n", output);
        Assert.Equal(2u, Backends.Single(b => b.Port == 445).Weight);
    }

    [Fact]
    public async Task Status_names_each_backend_as_the_commands_take_it()
    {
        (int exitCode, string output, string errors) = await CliRun.Invoke("status", "--api", _api.Address);

        Assert.True(exitCode == 0, errors);
        Assert.Contains("  backend 10.0.0.21:443 weight 1 up", output);
        Assert.Contains("  backend 10.0.0.21:444 weight 1 up", output);
        Assert.Contains("  backend 10.0.0.1 weight 1 up", output);
    }

    [Theory]
    [InlineData("10.0.0.21:444", "443")]
    [InlineData("10.0.0.21:x", null)]
    [InlineData("[fc00::1]:0", null)]
    public async Task A_malformed_backend_exits_2(string backend, string? port)
    {
        string[] args = ["backend", "remove", NatVip, backend, "--api", _api.Address, .. port is null ? Array.Empty<string>() : ["--port", port]];
        (int exitCode, _, string errors) = await CliRun.Invoke(args);

        Assert.Equal(2, exitCode);
        Assert.StartsWith("forwarder backend: ", errors);
        Assert.Equal(1, _api.Forwarder.Version);
    }
}
