using System.Net;
using System.Runtime.Versioning;
using Forwarder.Configuration;
using Forwarder.ControlPlane;
using Forwarder.DataPlane;
using Forwarder.Packets;

namespace Forwarder.Tests.Configuration;

/// <summary>A VIP's <c>allowed_sources</c>: what is refused and why, how it is written, what it costs, and that VIPs with one list share one table.</summary>
[SupportedOSPlatform("linux")]
public class AllowedSourcesConfigTests
{
    private static string Vip(string sources, string address = "10.100.0.1") =>
        $"  - address: {address}\n    allowed_sources: {sources}\n    backends:\n      - address: {(address.Contains(':') ? "fc00::a" : "10.0.0.1")}\n";

    [Theory]
    [InlineData("[10.0.0.1/8]", "vips[0].allowed_sources[0]", "'10.0.0.1/8' has host bits set past /8; did you mean 10.0.0.0/8?")]
    [InlineData("[10.0.0.0/33]", "vips[0].allowed_sources[0]", "the prefix length must be a whole number from 0 to 32 for an IPv4 prefix")]
    [InlineData("[10.0.0.0/]", "vips[0].allowed_sources[0]", "the prefix length must be a whole number")]
    [InlineData("[10.0.0.0/-1]", "vips[0].allowed_sources[0]", "the prefix length must be a whole number")]
    [InlineData("[10.0.0/8]", "vips[0].allowed_sources[0]", "'10.0.0' is not an IPv4 or IPv6 address")]
    [InlineData("[\"2001:db8::/32\"]", "vips[0].allowed_sources[0]", "2001:db8::/32 is an IPv6 prefix, but the VIP 10.100.0.1 only receives IPv4 clients")]
    [InlineData("[]", "vips[0].allowed_sources", "an empty list would drop every client")]
    [InlineData("10.0.0.0/8", "vips[0].allowed_sources", "expected a list of source prefixes")]
    [InlineData("[[10.0.0.0/8]]", "vips[0].allowed_sources[0]", "expected a prefix such as 10.0.0.0/8")]
    public void A_bad_list_is_refused_naming_the_entry(string sources, string path, string fragment)
    {
        ConfigLoadResult result = TestConfigs.WithVips(Vip(sources));
        ConfigDiagnostic error = Assert.Single(result.Errors);
        Assert.Equal(path, error.Path);
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ipv6_host_bits_are_named_too()
    {
        ConfigLoadResult result = TestConfigs.WithVips(Vip("[\"2001:db8::1/64\"]", "\"fc00::1\""));
        Assert.Contains("has host bits set past /64; did you mean 2001:db8::/64?", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_list_is_read_written_and_loads_back()
    {
        ForwarderConfig config = TestConfigs.LoadValid(TestConfigs.Prelude + Vip("[10.0.0.0/8, 192.168.1.7, 0.0.0.0/0]"));
        Assert.Equal([IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("192.168.1.7/32"), IPNetwork.Parse("0.0.0.0/0")], config.Vips[0].AllowedSources!.Value);
        string written = ForwarderConfigWriter.Write(config);
        Assert.Contains("allowed_sources: [\"10.0.0.0/8\", \"192.168.1.7/32\", \"0.0.0.0/0\"]", written, StringComparison.Ordinal);
        Assert.Equal(config, TestConfigs.LoadValid(written));
        Assert.Null(TestConfigs.LoadValid(TestConfigs.Minimal).Vips[0].AllowedSources);
        Assert.DoesNotContain("allowed_sources", ForwarderConfigWriter.Write(TestConfigs.LoadValid(TestConfigs.Minimal)), StringComparison.Ordinal);
    }

    [Fact]
    public void Vips_with_one_list_share_its_table_and_the_table_memory_counts_it_once()
    {
        string yaml = TestConfigs.Prelude
            + "  - address: 10.100.0.1\n    port: 80\n    allowed_sources: [10.0.0.0/8, 192.168.0.0/16]\n    backends:\n      - address: 10.0.0.1\n"
            + "  - address: 10.100.0.1\n    port: 443\n    allowed_sources: [192.168.0.0/16, 10.0.0.0/8]\n    backends:\n      - address: 10.0.0.1\n"
            + "  - address: 10.100.0.2\n    allowed_sources: [192.168.1.0/24]\n    backends:\n      - address: 10.0.0.1\n"
            + "  - address: 10.100.0.3\n    backends:\n      - address: 10.0.0.1\n";
        ForwarderConfig config = TestConfigs.LoadValid(yaml);
        var parts = new SnapshotParts();
        VipEntry[] vips = SnapshotBuilder.Build(config, [2, 0, 0, 0, 0, 2], workerCount: 1, parts: parts).Snapshot.Vips;
        Assert.Same(vips[0].AllowedSources, vips[1].AllowedSources);
        Assert.NotSame(vips[0].AllowedSources, vips[2].AllowedSources);
        Assert.Null(vips[3].AllowedSources);
        Assert.Equal(2, parts.AllowLists.Count);
        Assert.True(vips[2].AllowedSources!.Allows(WireAddress.FromIPAddress(IPAddress.Parse("192.168.1.9"))));
        Assert.False(vips[2].AllowedSources!.Allows(WireAddress.FromIPAddress(IPAddress.Parse("192.168.2.9"))));

        long without = TableMemory.Estimate(config.Vips.Select(v => v with { AllowedSources = null }));
        Assert.Equal(without + 2 * SourceAllowList.RootBytes + SourceAllowList.BlockBytes, TableMemory.Estimate(config));

        SnapshotBuilder.Build(config with { Vips = [config.Vips[3]] }, [2, 0, 0, 0, 0, 2], workerCount: 1, parts: parts);
        Assert.Equal(0, parts.AllowLists.Count);
    }

    [Fact]
    public void Check_prints_the_list_and_its_memory_and_refuses_a_host_bit()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, TestConfigs.Prelude + Vip("[10.0.0.0/8, 192.168.1.0/24]"));
            var output = new StringWriter();
            Assert.Equal(0, Forwarder.Cli.CheckCommand.Check(path, againstThisMachine: false, output, new StringWriter()));
            Assert.Contains("    allowed_sources: 2 prefix(es); other clients are dropped (source_not_allowed)\n", output.ToString(), StringComparison.Ordinal);

            File.WriteAllText(path, TestConfigs.Prelude + Vip("[10.0.0.0/8, 192.168.1.1/24]"));
            var errors = new StringWriter();
            Assert.Equal(1, Forwarder.Cli.CheckCommand.Check(path, againstThisMachine: false, new StringWriter(), errors));
            Assert.Contains("vips[0].allowed_sources[1]", errors.ToString(), StringComparison.Ordinal);
            Assert.Contains("did you mean 192.168.1.0/24?", errors.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void An_allow_list_does_not_change_the_digest()
    {
        ForwarderConfig config = TestConfigs.LoadValid(TestConfigs.Prelude + Vip("[10.0.0.0/8]"));
        Assert.Equal(VipTable.Build(config.Vips[0] with { AllowedSources = null }).Digest, VipTable.Build(config.Vips[0]).Digest);
    }
}
