using System.Runtime.Versioning;
using Forwarder.Configuration;
using Forwarder.ControlPlane;
using Forwarder.Hashing;

namespace Forwarder.Tests.Configuration;

/// <summary>The hash flags dport_only and src_dst_port: how they read, which pairs are refused, what they hash, how they are written and digested.</summary>
[SupportedOSPlatform("linux")]
public class HashFlagConfigTests
{
    private static string Vip(string flags, int port = 0) =>
        $"  - address: 10.100.0.1\n    port: {port}\n    flags: [{flags}]\n    backends:\n      - address: 10.0.0.1\n      - address: 10.0.0.2\n";

    [Theory]
    [InlineData("dport_only, no_source_port", "dport_only and no_source_port exclude each other")]
    [InlineData("dport_only, src_dst_port", "dport_only and src_dst_port exclude each other")]
    [InlineData("src_dst_port, no_source_port", "no_source_port and src_dst_port exclude each other")]
    public void Flags_that_exclude_each_other_are_refused_at_the_flags(string flags, string fragment)
    {
        ConfigLoadResult result = TestConfigs.WithVips(Vip(flags));
        TestConfigs.AssertOnlyError(result, "vips[0].flags", 7, 12, fragment);
    }

    [Fact]
    public void Src_dst_port_on_a_vip_with_a_port_is_a_warning()
    {
        ConfigLoadResult result = TestConfigs.WithVips(Vip("src_dst_port", port: 80));
        Assert.True(result.IsValid);
        ConfigDiagnostic warning = Assert.Single(result.Warnings);
        Assert.Equal("vips[0].flags", warning.Path);
        Assert.Contains("src_dst_port changes only a port-0", warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", 0, FlowHashOptions.ZeroDestinationPort)]
    [InlineData("src_dst_port", 0, FlowHashOptions.None)]
    [InlineData("dport_only", 0, FlowHashOptions.DestinationPortOnly)]
    [InlineData("dport_only", 80, FlowHashOptions.DestinationPortOnly)]
    [InlineData("no_source_port", 0, FlowHashOptions.ZeroSourcePort | FlowHashOptions.ZeroDestinationPort)]
    [InlineData("no_source_port", 80, FlowHashOptions.ZeroSourcePort)]
    public void Flags_and_port_give_katrans_hash_options(string flags, int port, FlowHashOptions expected)
    {
        ForwarderConfig config = TestConfigs.LoadValid(TestConfigs.Prelude + Vip(flags, port));
        Assert.Equal(expected, config.Vips[0].HashOptions);
    }

    [Theory]
    [InlineData("dport_only")]
    [InlineData("src_dst_port")]
    public void A_flag_is_written_and_loads_back(string flag)
    {
        ForwarderConfig config = TestConfigs.LoadValid(TestConfigs.Prelude + Vip(flag));
        string written = ForwarderConfigWriter.Write(config);
        Assert.Contains($"flags: [{flag}]", written, StringComparison.Ordinal);
        Assert.Equal(config, TestConfigs.LoadValid(written));
    }

    [Fact]
    public void Every_hash_flag_changes_the_digest_and_no_flag_keeps_the_tables()
    {
        string[] flagSets = ["", "no_source_port", "dport_only", "src_dst_port"];
        string[] digests = flagSets
            .Select(flags => VipTable.Build(TestConfigs.LoadValid(TestConfigs.Prelude + Vip(flags)).Vips[0]))
            .Select(table => table.Digest)
            .ToArray();
        Assert.Equal(digests.Length, digests.Distinct(StringComparer.Ordinal).Count());
        VipTable plain = VipTable.Build(TestConfigs.LoadValid(TestConfigs.Prelude + Vip("")).Vips[0]);
        Assert.Equal(plain.Table!.Digest, plain.Digest);
        Assert.All(digests, d => Assert.Matches("^[0-9a-f]{64}$", d));
    }
}
