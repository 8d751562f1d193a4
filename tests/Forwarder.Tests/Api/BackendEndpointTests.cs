using System.Net;
using System.Runtime.Versioning;
using Forwarder.Cli;
using Forwarder.Configuration;
using Forwarder.DataPlane;
using Forwarder.ControlPlane;

namespace Forwarder.Tests.Api;

/// <summary><c>POST .../backends</c>, <c>DELETE .../backends/{address}</c>, <c>PUT .../backends/{address}/weight</c>.</summary>
[SupportedOSPlatform("linux")]
public sealed class BackendEndpointTests : IAsyncLifetime
{
    private TestApi _api = null!;

    public async Task InitializeAsync() => _api = await TestApi.StartAsync(new TestForwarder(ApiConfigs.Base + ApiConfigs.NatVip));

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private VipConfig Vip => _api.Forwarder.Runtime.Config.Vips[0];

    [Fact]
    public async Task An_added_backend_gets_slots_in_the_new_table()
    {
        long version = ApiAssert.Applied(await _api.Send(HttpMethod.Post, $"{ApiConfigs.VipPath}/backends", """{"address": "10.0.0.4", "weight": 2}"""));

        Assert.Equal(2, version);
        ConfiguredVip configured = _api.Forwarder.Runtime.Published.Vips[0];
        VipEntry entry = configured.Entry;
        int id = configured.Backends.ToList().FindIndex(b => b.Address.Equals(IPAddress.Parse("10.0.0.4")));
        Assert.Equal(2u, configured.Backends[id].Weight);
        Assert.Contains(id, entry.Slots!);
    }

    [Fact]
    public async Task A_backend_the_vip_s_mode_cannot_use_is_refused_with_the_reason()
    {
        IReadOnlyList<string> errors = ApiAssert.Error(
            await _api.Send(HttpMethod.Post, $"{ApiConfigs.VipPath}/backends", """{"address": "10.0.0.4", "mac": "02:00:00:00:00:0b"}"""), 400);

        Assert.Equal("mac: a backend MAC is used only by dsr-l2; this VIP forwards with ipip, which sends frames to router_mac", Assert.Single(errors));
        Assert.Equal(1, _api.Forwarder.Version);
    }

    [Fact]
    public async Task A_backend_listed_already_is_refused()
    {
        IReadOnlyList<string> errors = ApiAssert.Error(await _api.Send(HttpMethod.Post, $"{ApiConfigs.VipPath}/backends", """{"address": "10.0.0.2"}"""), 400);

        Assert.Contains("already has backend 10.0.0.2", errors[0]);
        Assert.Equal(1, _api.Forwarder.Version);
    }

    [Fact]
    public async Task A_backend_for_an_unknown_vip_is_404()
    {
        IReadOnlyList<string> errors = ApiAssert.Error(await _api.Send(HttpMethod.Post, "/vips/10.100.0.7/80/tcp/backends", """{"address": "10.0.0.4"}"""), 404);

        Assert.Equal("no VIP 10.100.0.7:80/tcp; the VIPs are: 10.100.0.1:80/tcp, 10.100.0.3:8443/tcp", errors[0]);
    }

    [Fact]
    public async Task A_removed_backend_leaves_the_table()
    {
        ApiAssert.Applied(await _api.Send(HttpMethod.Delete, $"{ApiConfigs.VipPath}/backends/10.0.0.2"));

        Assert.Equal(["10.0.0.1", "10.0.0.3"], Vip.Backends.Select(b => b.Address.ToString()));
        Assert.Equal(2, _api.Forwarder.Runtime.Snapshots.Current.Vips[0].Backends.Length);
    }

    [Fact]
    public async Task Removing_an_unknown_backend_is_404_naming_the_backends_there_are()
    {
        IReadOnlyList<string> errors = ApiAssert.Error(await _api.Send(HttpMethod.Delete, $"{ApiConfigs.VipPath}/backends/10.0.0.9"), 404);

        Assert.Equal("VIP 10.100.0.1:80/tcp has no backend 10.0.0.9; its backends are: 10.0.0.1, 10.0.0.2, 10.0.0.3", errors[0]);
        Assert.Equal(1, _api.Forwarder.Version);
    }

    [Fact]
    public async Task Weight_zero_drains_a_backend_it_stays_listed_but_leaves_the_table()
    {
        long version = ApiAssert.Applied(await _api.Send(HttpMethod.Put, $"{ApiConfigs.VipPath}/backends/10.0.0.3/weight", """{"weight": 0}"""));

        Assert.Equal(2, version);
        Assert.Equal(0u, Vip.Backends.Single(b => b.Address.Equals(IPAddress.Parse("10.0.0.3"))).Weight);
        ConfiguredVip configured = _api.Forwarder.Runtime.Published.Vips[0];
        VipEntry entry = configured.Entry;
        int id = configured.Backends.ToList().FindIndex(b => b.Address.Equals(IPAddress.Parse("10.0.0.3")));
        Assert.DoesNotContain(id, entry.Slots!);
        Assert.Equal(3, entry.Backends.Length);
    }

    [Theory]
    [InlineData("""{"weight": -1}""", "weight: -1 is out of range")]
    [InlineData("""{"weight": "3"}""", "without quotes")]
    [InlineData("""{"wieght": 3}""", "weight: missing")]
    [InlineData("""{"weight": 3, "extra": 1}""", "unknown key 'extra'")]
    public async Task A_bad_weight_is_refused(string body, string fragment)
    {
        IReadOnlyList<string> errors = ApiAssert.Error(await _api.Send(HttpMethod.Put, $"{ApiConfigs.VipPath}/backends/10.0.0.3/weight", body), 400);

        Assert.Contains(errors, e => e.Contains(fragment));
        Assert.Equal(1u, Vip.Backends[2].Weight);
        Assert.Equal(1, _api.Forwarder.Version);
    }

    [Fact]
    public async Task One_address_listed_with_two_ports_needs_the_port_to_say_which()
    {
        const string path = "/vips/10.100.0.3/8443/tcp/backends/10.0.0.21";
        IReadOnlyList<string> errors = ApiAssert.Error(await _api.Send(HttpMethod.Delete, path), 400);
        Assert.Contains("?port=", errors[0]);

        ApiAssert.Applied(await _api.Send(HttpMethod.Put, path + "/weight?port=444", """{"weight": 5}"""));
        ApiAssert.Applied(await _api.Send(HttpMethod.Delete, path + "?port=443"));

        BackendConfig left = Assert.Single(_api.Forwarder.Runtime.Config.Vips[1].Backends);
        Assert.Equal((ushort)444, left.Port);
        Assert.Equal(5u, left.Weight);
    }

    [Fact]
    public async Task An_ambiguous_address_is_refused_naming_both_backends()
    {
        IReadOnlyList<string> errors = ApiAssert.Error(
            await _api.Send(HttpMethod.Put, "/vips/10.100.0.3/8443/tcp/backends/10.0.0.21/weight", """{"weight": 5}"""), 400);

        Assert.Equal("VIP 10.100.0.3:8443/tcp has 2 backends at 10.0.0.21: 10.0.0.21:443 and 10.0.0.21:444; " +
            "name one with its port, as ADDRESS:PORT (e.g. 10.0.0.21:443) or with ?port=N", Assert.Single(errors));
        Assert.All(_api.Forwarder.Runtime.Config.Vips[1].Backends, b => Assert.Equal(1u, b.Weight));
        Assert.Equal(1, _api.Forwarder.Version);
    }

    [Fact]
    public async Task Address_colon_port_names_one_backend_of_an_address_listed_with_two_ports()
    {
        const string backends = "/vips/10.100.0.3/8443/tcp/backends/";
        ApiAssert.Applied(await _api.Send(HttpMethod.Put, backends + "10.0.0.21:444/weight", """{"weight": 5}"""));
        ApiAssert.Applied(await _api.Send(HttpMethod.Put, backends + "10.0.0.21%3A443/weight", """{"weight": 2}""")); // escaped as the CLI does
        Assert.Equal([(443, 2u), (444, 5u)], _api.Forwarder.Runtime.Config.Vips[1].Backends.Select(b => ((int)b.Port!, b.Weight)).Order());

        ApiAssert.Applied(await _api.Send(HttpMethod.Delete, backends + "10.0.0.21:443?port=443")); // the same port twice is fine
        Assert.Equal((ushort)444, Assert.Single(_api.Forwarder.Runtime.Config.Vips[1].Backends).Port);
        Assert.Equal(4, _api.Forwarder.Version);
    }

    [Theory]
    [InlineData("10.0.0.21:443?port=444", 400, "the backend is named with port 443 in the path and port 444 in ?port=; give the port once")]
    [InlineData("10.0.0.21:0", 400, "backend port '0' is not a number from 1 to 65535")]
    [InlineData("10.0.0.21:x", 400, "backend port 'x' is not a number from 1 to 65535")]
    [InlineData("10.0.0.21:445", 404, "VIP 10.100.0.3:8443/tcp has no backend 10.0.0.21:445; its backends are: 10.0.0.21:443, 10.0.0.21:444")]
    public async Task A_bad_or_unknown_backend_port_is_refused(string backend, int status, string error)
    {
        IReadOnlyList<string> errors = ApiAssert.Error(await _api.Send(HttpMethod.Delete, "/vips/10.100.0.3/8443/tcp/backends/" + backend), status);

        Assert.Equal(error, Assert.Single(errors));
        Assert.Equal(2, _api.Forwarder.Runtime.Config.Vips[1].Backends.Count);
    }

    [Fact]
    public async Task A_backend_with_a_port_that_exists_already_is_refused_with_its_own_url()
    {
        IReadOnlyList<string> errors = ApiAssert.Error(
            await _api.Send(HttpMethod.Post, "/vips/10.100.0.3/8443/tcp/backends", """{"address": "10.0.0.21", "port": 444}"""), 400);

        Assert.Equal("VIP 10.100.0.3:8443/tcp already has backend 10.0.0.21:444; change its weight with PUT " +
            "/vips/10.100.0.3/8443/tcp/backends/10.0.0.21/weight?port=444", Assert.Single(errors));
    }

    [Fact]
    public async Task An_address_alone_names_the_backend_listed_without_a_port_beside_those_with_one()
    {
        ApiAssert.Applied(await _api.Send(HttpMethod.Post, "/vips/10.100.0.3/8443/tcp/backends", """{"address": "10.0.0.21", "weight": 7}"""));

        ApiAssert.Applied(await _api.Send(HttpMethod.Put, "/vips/10.100.0.3/8443/tcp/backends/10.0.0.21/weight", """{"weight": 9}"""));

        Assert.Equal([(0, 9u), (443, 1u), (444, 1u)],
            _api.Forwarder.Runtime.Config.Vips[1].Backends.Select(b => ((int)(b.Port ?? 0), b.Weight)).Order());
    }
}
