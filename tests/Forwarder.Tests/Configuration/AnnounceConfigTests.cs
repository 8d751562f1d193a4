using System.Runtime.Versioning;
using Forwarder.Configuration;
using Forwarder.ControlPlane;

namespace Forwarder.Tests.Configuration;

/// <summary>The <c>announce</c> section: defaults, every value's error, and the writer's round trip.</summary>
[SupportedOSPlatform("linux")]
public sealed class AnnounceConfigTests
{
    private const string Vips = """
        vips:
          - address: 10.100.0.1
            port: 80
            protocol: tcp
            backends:
              - address: 10.0.0.1
          - address: fd00:100::1
            protocol: any
            backends:
              - address: fd00::10
        """;

    /// <summary>Lines 1–3; the announce section starts on line 4, its first setting on line 5.</summary>
    private static ConfigLoadResult With(string announce) => ForwarderConfigLoader.Load($"""
        interface:
          name: eth0
        router_mac: 02:00:00:00:00:01
        announce:
        {announce}
        {Vips}
        """);

    private const string Digest = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Fact]
    public void Without_the_section_nothing_is_announced()
    {
        Assert.Null(TestConfigs.LoadValid(TestConfigs.Minimal).Announce);
    }

    [Fact]
    public void An_empty_section_takes_every_default()
    {
        ConfigLoadResult result = ForwarderConfigLoader.Load(TestConfigs.Minimal.Replace("vips:", "announce: {}\nvips:", StringComparison.Ordinal));
        Assert.True(result.IsValid, string.Join('\n', result.Errors));
        AnnounceConfig announce = result.Config!.Announce!;
        Assert.Equal(new AnnounceConfig(), announce);
        Assert.Equal("fwd0", announce.LivenessDevice);
        Assert.Equal(TimeSpan.FromSeconds(2), announce.HoldDown);
        Assert.Equal(TimeSpan.FromMilliseconds(200), announce.WatchdogStall);
    }

    [Fact]
    public void Every_setting_is_read()
    {
        ConfigLoadResult result = With($"""
              liveness_device: lb-0
              bird_socket: /run/bird/node1.ctl
              include_file: /run/fwd/vips.conf
              min_healthy_backends: 2
              hold_down: 5s
              expected_digests:
                "10.100.0.1:80/tcp": "{Digest.ToUpperInvariant()}"
              drain_quiet: 750ms
              drain_max: 1m
              watchdog_stall: 300ms
            """);
        Assert.True(result.IsValid, string.Join('\n', result.Errors));
        AnnounceConfig announce = result.Config!.Announce!;
        Assert.Equal("lb-0", announce.LivenessDevice);
        Assert.Equal("/run/bird/node1.ctl", announce.BirdSocket);
        Assert.Equal("/run/fwd/vips.conf", announce.IncludeFile);
        Assert.Equal(2, announce.MinHealthyBackends);
        Assert.Equal(TimeSpan.FromSeconds(5), announce.HoldDown);
        Assert.Equal(Digest, announce.ExpectedDigests["10.100.0.1:80/tcp"]);
        Assert.Equal(TimeSpan.FromMilliseconds(750), announce.DrainQuiet);
        Assert.Equal(TimeSpan.FromMinutes(1), announce.DrainMax);
        Assert.Equal(TimeSpan.FromMilliseconds(300), announce.WatchdogStall);
        Assert.Empty(result.Warnings);
    }

    [Theory]
    [InlineData("liveness_device: fwd0_with_too_many", "announce.liveness_device", "not a device name")]
    [InlineData("liveness_device: Fwd0", "announce.liveness_device", "not a device name")]
    [InlineData("liveness_device: \"fw d0\"", "announce.liveness_device", "not a device name")]
    [InlineData("bird_socket: run/bird.ctl", "announce.bird_socket", "absolute file path")]
    [InlineData("bird_socket: /run/bird/", "announce.bird_socket", "not a directory")]
    [InlineData("include_file: \"/run/a\\\"b\"", "announce.include_file", "no quotes")]
    [InlineData("min_healthy_backends: 0", "announce.min_healthy_backends", "")]
    [InlineData("hold_down: 2", "announce.hold_down", "a whole number with a unit")]
    [InlineData("hold_down: 2 s", "announce.hold_down", "a whole number with a unit")]
    [InlineData("hold_down: -1s", "announce.hold_down", "a whole number with a unit")]
    [InlineData("hold_down: 2h", "announce.hold_down", "out of range")]
    [InlineData("drain_quiet: 1ms", "announce.drain_quiet", "out of range")]
    [InlineData("watchdog_stall: 5m", "announce.watchdog_stall", "out of range")]
    [InlineData("expected_digests: [a]", "announce.expected_digests", "a mapping of VIP to table digest")]
    [InlineData("expected_digests: { \"10.100.0.1:80/tcp\": abc }", "announce.expected_digests.10.100.0.1:80/tcp", "not a table digest")]
    [InlineData("bird_sockt: /run/bird.ctl", "announce.bird_sockt", "did you mean 'bird_socket'")]
    public void A_bad_value_is_one_error_naming_it(string setting, string path, string fragment)
    {
        ConfigLoadResult result = With("  " + setting);
        TestConfigs.AssertOnlyError(result, path, 5, result.Errors.Single().Column, fragment);
    }

    [Fact]
    public void A_socket_path_longer_than_the_kernel_takes_is_refused()
    {
        ConfigLoadResult result = With($"  bird_socket: /{new string('a', 107)}");
        TestConfigs.AssertOnlyError(result, "announce.bird_socket", 5, 16, "108 bytes long");
    }

    [Fact]
    public void A_drain_max_shorter_than_drain_quiet_is_refused()
    {
        ConfigLoadResult result = With("  drain_quiet: 2s\n  drain_max: 1s");
        TestConfigs.AssertOnlyError(result, "announce.drain_max", 6, 14, "shorter than drain_quiet");
    }

    [Fact]
    public void A_section_that_is_not_a_mapping_is_refused()
    {
        ConfigLoadResult result = ForwarderConfigLoader.Load(TestConfigs.Minimal.Replace("vips:", "announce: yes\nvips:", StringComparison.Ordinal));
        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.Path == "announce" && e.Message.Contains("a mapping of announce settings", StringComparison.Ordinal));
    }

    [Fact]
    public void A_digest_for_no_configured_vip_is_a_warning()
    {
        ConfigLoadResult result = With($"  expected_digests:\n    \"10.100.0.9:80/tcp\": {Digest}");
        Assert.True(result.IsValid);
        Assert.Contains(result.Warnings, w => w.Message.Contains("'10.100.0.9:80/tcp' names no VIP", StringComparison.Ordinal));
    }

    [Fact]
    public void The_writer_spells_the_section_out_and_reading_it_back_gives_the_same()
    {
        ConfigLoadResult result = With($"""
              hold_down: 1500ms
              min_healthy_backends: 3
              expected_digests:
                "[fd00:100::1]:*/any": {Digest}
            """);
        Assert.True(result.IsValid, string.Join('\n', result.Errors));
        string written = ForwarderConfigWriter.Write(result.Config!);
        Assert.Contains("hold_down: 1500ms", written, StringComparison.Ordinal);
        Assert.Equal(result.Config, TestConfigs.LoadValid(written));
        Assert.Null(TestConfigs.LoadValid(ForwarderConfigWriter.Write(TestConfigs.LoadValid(TestConfigs.Minimal))).Announce);
    }

    [Fact]
    public void Vips_are_named_as_everywhere_else()
    {
        ForwarderConfig config = With("  hold_down: 0s").Config!;
        Assert.Equal(config.Vips.Select(v => VipIdentity.Of(v).ToString()), config.Vips.Select(AnnounceConfig.VipName));
    }
}
