using System.Runtime.Versioning;
using Forwarder.Configuration;

namespace Forwarder.Tests.Configuration;

/// <summary>A VIP's <c>quic</c> switch and its backends' <c>server_id</c>s: what is accepted, what is refused and how it reads.</summary>
[SupportedOSPlatform("linux")]
public sealed class QuicConfigTests
{
    /// <summary>A VIP (line 5) with <paramref name="settings"/> (line 6) and <paramref name="backends"/> (the first from line 8).</summary>
    private static ConfigLoadResult Vip(string settings, string backends) =>
        TestConfigs.WithVips($"  - address: 10.100.0.1\n    {settings}\n    backends:\n{backends}");

    private const string TwoIds = "      - address: 10.0.0.1\n        server_id: 1024\n      - address: 10.0.0.2\n        server_id: 197634\n";

    [Fact]
    public void A_udp_vip_with_quic_and_server_ids_loads_and_writes_back_the_same()
    {
        ConfigLoadResult result = Vip("protocol: udp\n    quic: true", TwoIds);

        Assert.True(result.IsValid, string.Join('\n', result.Errors));
        VipConfig vip = result.Config!.Vips[0];
        Assert.True(vip.Quic);
        Assert.Equal([1024u, 197634u], vip.Backends.Select(b => b.ServerId!.Value));
        ForwarderConfig again = TestConfigs.LoadValid(ForwarderConfigWriter.Write(result.Config));
        Assert.Equal(result.Config, again);
    }

    [Theory]
    [InlineData("port: 443\n    quic: true", "any")]
    [InlineData("protocol: tcp\n    quic: true", "tcp")]
    public void Quic_needs_a_udp_vip(string settings, string protocol)
    {
        ConfigLoadResult result = Vip(settings, TwoIds);

        TestConfigs.AssertOnlyError(result, "vips[0].quic", 7, 11, $"set protocol: udp on this VIP (it matches {protocol})");
    }

    [Fact]
    public void Quic_is_true_or_false()
    {
        ConfigLoadResult result = Vip("protocol: udp\n    quic: yes", TwoIds);

        TestConfigs.AssertOnlyError(result, "vips[0].quic", 7, 11, "expected true or false, got 'yes'");
    }

    [Fact]
    public void A_server_id_without_quic_is_refused()
    {
        ConfigLoadResult result = Vip("protocol: udp", TwoIds);

        TestConfigs.AssertError(result, "vips[0].backends[0].server_id", 9, 20, "a server id is used only by a quic VIP; set quic: true on the VIP or remove server_id");
        Assert.Equal(2, result.Errors.Count);
    }

    [Fact]
    public void A_server_id_is_unique_within_the_vip()
    {
        ConfigLoadResult result = Vip("protocol: udp\n    quic: true", "      - address: 10.0.0.1\n        server_id: 7\n      - address: 10.0.0.2\n        server_id: 7\n");

        TestConfigs.AssertOnlyError(result, "vips[0].backends[1].server_id", 12, 20, "server id 7 is already backends[0]'s (line 9)");
    }

    [Theory]
    [InlineData("0", "0 is not a server id")]
    [InlineData("-1", "expected a whole number from 1 to 2147483647")]
    [InlineData("2147483648", "2147483648 is out of range; expected a whole number from 1 to 2147483647")]
    [InlineData("abc", "got 'abc'")]
    [InlineData("\"5\"", "write the number without quotes")]
    public void A_server_id_is_a_whole_number_from_1_to_2147483647(string value, string fragment)
    {
        ConfigLoadResult result = Vip("protocol: udp\n    quic: true", $"      - address: 10.0.0.1\n        server_id: {value}\n");

        TestConfigs.AssertOnlyError(result, "vips[0].backends[0].server_id", 10, 20, fragment);
    }

    [Fact]
    public void A_quic_vip_without_any_server_id_loads_with_a_warning()
    {
        ConfigLoadResult result = Vip("protocol: udp\n    quic: true", "      - address: 10.0.0.1\n");

        Assert.True(result.IsValid);
        Assert.Contains(result.Warnings, w => w.Message.Contains("no backend has a server_id: every packet is routed by Maglev", StringComparison.Ordinal));
    }
}
