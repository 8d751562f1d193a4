using System.Runtime.Versioning;
using Forwarder.Configuration;

namespace Forwarder.Tests.Configuration;

/// <summary>Settings that are valid but probably not meant load, with a warning.</summary>
[SupportedOSPlatform("linux")]
public class ConfigWarningTests
{
    [Fact]
    public void A_vip_without_backends_loads_with_a_warning()
    {
        ConfigLoadResult result = TestConfigs.WithVips("  - address: 10.100.0.1\n    backends: []\n");
        Assert.True(result.IsValid);
        Assert.Empty(Assert.Single(result.Config.Vips).Backends);
        ConfigDiagnostic warning = Assert.Single(result.Warnings);
        Assert.Equal("vips[0].backends (line 5, col 5): the VIP has no backends: its packets are dropped (and counted)", warning.ToString());
    }

    [Fact]
    public void A_vip_whose_backends_all_have_weight_zero_loads_with_a_warning()
    {
        ConfigLoadResult result = TestConfigs.WithVips("  - address: 10.100.0.1\n    backends:\n      - { address: 10.0.0.1, weight: 0 }\n");
        Assert.True(result.IsValid);
        Assert.Contains("every backend has weight 0", Assert.Single(result.Warnings).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_small_ring_for_many_backends_loads_with_a_warning()
    {
        string backends = string.Concat(Enumerable.Range(1, 3).Select(i => $"      - address: 10.0.0.{i}\n"));
        ConfigLoadResult result = TestConfigs.WithVips($"  - address: 10.100.0.1\n    maglev: {{ ring_size: 251 }}\n    backends:\n{backends}");
        Assert.True(result.IsValid);
        ConfigDiagnostic warning = Assert.Single(result.Warnings);
        Assert.Equal("vips[0].maglev.ring_size", warning.Path);
        Assert.Contains("use a prime of at least 300", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_vips_loads_with_a_warning()
    {
        ConfigLoadResult result = ForwarderConfigLoader.Load(TestConfigs.Prelude.Replace("vips:", "vips: []"));
        Assert.True(result.IsValid);
        Assert.Equal("vips", Assert.Single(result.Warnings).Path);
    }

    [Fact]
    public void A_valid_file_has_no_warnings()
    {
        ConfigLoadResult result = ForwarderConfigLoader.Load(TestConfigs.Minimal);
        Assert.True(result.IsValid);
        Assert.Empty(result.Errors);
        Assert.Empty(result.Warnings);
    }
}
