using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using Forwarder.Api;

namespace Forwarder.Tests.Api;

/// <summary><c>forwarder status|vip|backend|reload</c> against a running API: what they print and how they exit.</summary>
[SupportedOSPlatform("linux")]
public sealed class CliCommandTests : IAsyncLifetime
{
    private TestApi _api = null!;

    public async Task InitializeAsync() => _api = await TestApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Status_prints_every_vip_with_its_table_digest()
    {
        (int exitCode, string output, string errors) = await CliRun.Invoke("status", "--api", _api.Address);

        Assert.True(exitCode == 0, errors);
        Assert.Contains("forwarder on eth0: table version 1", output);
        Assert.Contains($"vip {ApiConfigs.Vip} ipip, 65537 slots, digest {_api.Forwarder.Runtime.Snapshots.Current.Vips[0].Digest}", output);
        Assert.Contains("  backend 10.0.0.2 weight 1 up", output);
        Assert.Contains("  queue 0 (cpu 2): rx 1000 packets", output);
    }

    [Fact]
    public async Task Status_json_prints_the_api_s_answer()
    {
        (int exitCode, string output, _) = await CliRun.Invoke("status", "--json", "--api", _api.Address);

        Assert.Equal(0, exitCode);
        Assert.Equal(1, System.Text.Json.JsonDocument.Parse(output).RootElement.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task A_refused_change_exits_1_with_the_api_s_message_as_it_is()
    {
        (int exitCode, string output, string errors) = await CliRun.Invoke("backend", "add", ApiConfigs.Vip, "10.0.0.2", "--api", _api.Address);

        Assert.Equal(1, exitCode);
        Assert.Empty(output);
        Assert.Equal("VIP 10.100.0.1:80/tcp already has backend 10.0.0.2; change its weight with PUT /vips/10.100.0.1/80/tcp/backends/10.0.0.2/weight\n", errors);
        Assert.Equal(1, _api.Forwarder.Version);
    }

    [Fact]
    public async Task An_unknown_vip_exits_1_naming_the_vips_there_are()
    {
        (int exitCode, _, string errors) = await CliRun.Invoke("vip", "remove", "10.9.9.9:80/tcp", "--api", _api.Address);

        Assert.Equal(1, exitCode);
        Assert.Equal("no VIP 10.9.9.9:80/tcp; the VIPs are: 10.100.0.1:80/tcp\n", errors);
    }

    [Fact]
    public async Task Vips_are_added_listed_and_removed()
    {
        (int added, string addOutput, string addErrors) = await CliRun.Invoke("vip", "add", "10.100.0.9:443/tcp", "--backend", "10.0.0.7", "--backend", "10.0.0.8",
            "--mode", "nat", "--api", _api.Address);
        Assert.True(added == 0, addErrors);
        Assert.Equal("VIP added: table version 2\n", addOutput);

        (int listed, string list, _) = await CliRun.Invoke("vip", "list", "--api", _api.Address);
        Assert.Equal(0, listed);
        Assert.Contains("10.100.0.9:443/tcp nat maglev v2/65537: 10.0.0.7 (weight 1), 10.0.0.8 (weight 1)", list);
        Assert.Contains("10.100.0.1:80/tcp ipip", list);

        (int removed, string removeOutput, _) = await CliRun.Invoke("vip", "remove", "10.100.0.9:443/tcp", "--api", _api.Address);
        Assert.Equal(0, removed);
        Assert.Equal("VIP 10.100.0.9:443/tcp removed: table version 3\n", removeOutput);
    }

    [Fact]
    public async Task A_vip_given_as_json_is_added_as_it_is()
    {
        (int exitCode, _, string errors) = await CliRun.Invoke("vip", "add", "--json",
            """{"address": "10.100.0.2", "port": 53, "protocol": "udp", "mode": "dsr-l2", "backends": [{"address": "10.0.0.11", "mac": "02:00:00:00:00:0b"}]}""",
            "--api", _api.Address);

        Assert.True(exitCode == 0, errors);
        Assert.Equal(Forwarder.Packets.ForwardingMode.DsrL2, _api.Forwarder.Runtime.Config.Vips[1].Mode);
    }

    [Fact]
    public async Task A_quic_vip_that_bypasses_the_flow_table_and_its_server_ids_are_made_without_json()
    {
        (int added, _, string addErrors) = await CliRun.Invoke("vip", "add", "10.100.0.3:443/udp", "--quic", "--flow-table", "bypass",
            "--backend", "10.0.0.21", "--api", _api.Address);
        Assert.True(added == 0, addErrors);
        (int backendAdded, _, string backendErrors) = await CliRun.Invoke("backend", "add", "10.100.0.3:443/udp", "10.0.0.22", "--server-id", "4097",
            "--api", _api.Address);
        Assert.True(backendAdded == 0, backendErrors);

        var vip = _api.Forwarder.Runtime.Config.Vips.Single(v => v.Address.Equals(IPAddress.Parse("10.100.0.3")));
        Assert.True(vip.Quic);
        Assert.Equal(Forwarder.Configuration.VipFlowTable.Bypass, vip.FlowTable);
        Assert.Equal([null, 4097u], vip.Backends.Select(b => b.ServerId));
    }

    [Fact]
    public async Task A_flow_table_use_the_api_does_not_know_is_refused_with_its_message_and_changes_nothing()
    {
        (int exitCode, _, string errors) = await CliRun.Invoke("vip", "add", "10.100.0.4:80/tcp", "--flow-table", "off", "--api", _api.Address);

        Assert.Equal(1, exitCode);
        Assert.Contains("'off' is not one of: remember, bypass", errors);
        Assert.Equal(1, _api.Forwarder.Version);
    }

    [Fact]
    public async Task Options_beside_json_are_refused_by_name_rather_than_dropped()
    {
        (int exitCode, _, string errors) = await CliRun.Invoke("vip", "add", "--json", """{"address": "10.100.0.5", "port": 80, "protocol": "tcp"}""",
            "--flag", "dport_only", "--quic", "--api", _api.Address);

        Assert.Equal(2, exitCode);
        Assert.Equal("forwarder vip add: --json gives the whole VIP: leave out --flag, --quic (or put them in the JSON)\n", errors);
        Assert.Equal(1, _api.Forwarder.Version);
    }

    [Fact]
    public async Task Backends_are_added_weighted_and_removed()
    {
        Assert.Equal(0, (await CliRun.Invoke("backend", "add", ApiConfigs.Vip, "10.0.0.4", "--weight", "3", "--api", _api.Address)).ExitCode);
        (int drained, string drainOutput, _) = await CliRun.Invoke("backend", "weight", ApiConfigs.Vip, "10.0.0.4", "0", "--api", _api.Address);
        Assert.Equal(0, drained);
        Assert.Equal("backend 10.0.0.4 of 10.100.0.1:80/tcp weight 0 (draining): table version 3\n", drainOutput);
        Assert.Equal(0u, _api.Forwarder.Runtime.Config.Vips[0].Backends.Single(b => b.Address.Equals(IPAddress.Parse("10.0.0.4"))).Weight);

        Assert.Equal(0, (await CliRun.Invoke("backend", "remove", ApiConfigs.Vip, "10.0.0.4", "--api", _api.Address)).ExitCode);
        Assert.Equal(3, _api.Forwarder.Runtime.Config.Vips[0].Backends.Count);
        Assert.Equal(4, _api.Forwarder.Version);
    }

    [Fact]
    public async Task Reload_says_whether_the_file_changed()
    {
        Assert.Equal("reloaded: table version 1 (unchanged)\n", (await CliRun.Invoke("reload", "--api", _api.Address)).Output);

        File.WriteAllText(_api.Forwarder.ConfigPath, ApiConfigs.Base + ApiConfigs.SecondVip);
        Assert.Equal("reloaded: table version 2\n", (await CliRun.Invoke("reload", "--api", _api.Address)).Output);

        File.WriteAllText(_api.Forwarder.ConfigPath, "vips: [");
        (int exitCode, _, string errors) = await CliRun.Invoke("reload", "--api", _api.Address);
        Assert.Equal(1, exitCode);
        Assert.Contains("not valid YAML", errors);
    }

    [Fact]
    public async Task With_no_forwarder_running_the_commands_say_so_and_exit_1()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        (int exitCode, _, string errors) = await CliRun.Invoke("status", "--api", $"127.0.0.1:{port}");

        Assert.Equal(1, exitCode);
        Assert.Equal($"no forwarder answers at 127.0.0.1:{port}: is `forwarder run --config` running, with --api?\n", errors);
    }

    [Theory]
    [InlineData("status", "--api", "nowhere")]
    [InlineData("vip", "remove", "10.0.0.300:80/tcp")]
    [InlineData("backend", "weight", "10.100.0.1:80/sctp", "10.0.0.1", "0")]
    [InlineData("vip", "add")]
    public async Task A_malformed_command_line_exits_2(params string[] args)
    {
        (int exitCode, _, string errors) = await CliRun.Invoke(args);

        Assert.Equal(2, exitCode);
        Assert.NotEmpty(errors);
    }

    [Fact]
    public async Task The_commands_reach_the_api_on_a_unix_socket()
    {
        string socket = Path.Combine(_api.Forwarder.DirectoryPath, "api.sock");
        await using TestApi onSocket = await TestApi.StartAsync(address: ApiAddress.Unix(socket));

        (int exitCode, string output, _) = await CliRun.Invoke("status", "--api", $"unix:{socket}");

        Assert.Equal(0, exitCode);
        Assert.Contains(onSocket.Forwarder.Runtime.Snapshots.Current.Vips[0].Digest, output);
    }
}
