using System.Runtime.Versioning;
using Forwarder.Configuration;

namespace Forwarder.Tests.Configuration;

/// <summary>The YAML layer: syntax errors, repeated and unknown keys, anchors, merge keys, and files that cannot be read.</summary>
[SupportedOSPlatform("linux")]
public class YamlStructureTests
{
    [Fact]
    public void A_syntax_error_is_reported_with_its_position()
    {
        ConfigLoadResult result = ForwarderConfigLoader.Load("interface:\n  name: eth0\n   queues: [0]\n");
        ConfigDiagnostic error = Assert.Single(result.Errors);
        Assert.Null(result.Config);
        Assert.Equal("", error.Path);
        Assert.Equal(3, error.Line);
        Assert.StartsWith("not valid YAML: ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("interface:\n  name: eth0\n    queues: [0]\nrouter_mac: 02:00:00:00:00:01\nvips: []\n", 3)]
    [InlineData("interface:\n  name: eth0\nrouter_mac: 02:00:00:00:00:01\nvips:\n  - address: 10.100.0.1\n    port: 80\n      protocol: tcp\n    backends: []\n", 7)]
    public void An_over_indented_key_gets_the_indentation_hint_not_the_ipv6_one(string yaml, int line)
    {
        ConfigDiagnostic error = Assert.Single(ForwarderConfigLoader.Load(yaml).Errors);
        Assert.Equal(line, error.Line);
        Assert.Contains($"line {line} is indented deeper than the line above", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("IPv6", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unclosed_list_is_reported_near_where_it_breaks()
    {
        ConfigLoadResult result = ForwarderConfigLoader.Load("interface:\n  name: eth0\n  queues: [0, 1\nrouter_mac: 02:00:00:00:00:01\n");
        TestConfigs.AssertOnlyError(result, "", 3, 12, "not valid YAML near here; check brackets, quotes and indentation");
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    public void An_empty_file_is_refused(string yaml)
    {
        ConfigLoadResult result = ForwarderConfigLoader.Load(yaml);
        Assert.Equal("the file is empty (or holds only comments)", Assert.Single(result.Errors).Message);
    }

    [Fact]
    public void A_file_that_is_not_a_mapping_is_refused()
    {
        ConfigLoadResult result = ForwarderConfigLoader.Load("- eth0\n");
        TestConfigs.AssertOnlyError(result, "", 1, 1, "expected a mapping with interface, router_mac and vips at the top level, got a list");
    }

    [Fact]
    public void Two_documents_are_refused()
    {
        ConfigLoadResult result = ForwarderConfigLoader.Load(TestConfigs.Minimal + "\n---\nmtu: 1500\n");
        ConfigDiagnostic error = Assert.Single(result.Errors);
        Assert.Equal(8, error.Line);
        Assert.Contains("more than one YAML document", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_repeated_key_is_refused_and_the_rest_is_still_checked()
    {
        ConfigLoadResult result = ForwarderConfigLoader.Load("""
            interface:
              name: eth0
              name: eth1
            router_mac: 02:00:00:00:00:01
            mtu: 1
            vips: []
            """);
        TestConfigs.AssertError(result, "interface.name", 3, 3, "'name' is given twice (first on line 2); give it once");
        TestConfigs.AssertError(result, "mtu", 5, 6, "out of range");
        Assert.Equal(2, result.Errors.Count);
    }

    [Theory]
    [InlineData("routr_mac: 02:00:00:00:00:02", "routr_mac", "unknown key 'routr_mac'; did you mean 'router_mac'?")]
    [InlineData("Mtu: 1500", "Mtu", "unknown key 'Mtu'; did you mean 'mtu'?")]
    [InlineData("api: { listen: 127.0.0.1 }", "api", "unknown key 'api'; expected one of: interface, router_mac, mtu, gue, limits, vips, announce")]
    public void An_unknown_top_level_key_is_refused(string line, string path, string message)
    {
        ConfigLoadResult result = ForwarderConfigLoader.Load(TestConfigs.Minimal + "\n" + line + "\n");
        TestConfigs.AssertOnlyError(result, path, 8, 1, message);
    }

    [Fact]
    public void A_key_that_is_not_a_name_is_refused()
    {
        ConfigLoadResult result = ForwarderConfigLoader.Load(TestConfigs.Minimal + "\n? [a, b]\n: 1\n");
        TestConfigs.AssertOnlyError(result, "", 8, 3, "a key must be a name, not a list");
    }

    [Fact]
    public void Aliases_and_merge_keys_work_and_explicit_keys_win()
    {
        ForwarderConfig config = TestConfigs.LoadValid("""
            interface: { name: eth0 }
            router_mac: 02:00:00:00:00:01
            x-defaults: &defaults
              protocol: tcp
              maglev: { ring_size: 655373 }
            x-pool: &pool
              - address: 10.0.0.1
              - address: 10.0.0.2
            vips:
              - <<: *defaults
                address: 10.100.0.1
                port: 80
                backends: *pool
              - <<: *defaults
                address: 10.100.0.1
                port: 53
                protocol: udp
                backends: *pool
            """);
        Assert.Equal([VipProtocol.Tcp, VipProtocol.Udp], config.Vips.Select(v => v.Protocol));
        Assert.All(config.Vips, v => Assert.Equal(655373, v.Maglev.RingSize));
        Assert.All(config.Vips, v => Assert.Equal(2, v.Backends.Count));
    }

    [Fact]
    public void An_error_inside_an_anchor_points_at_the_anchor()
    {
        ConfigLoadResult result = ForwarderConfigLoader.Load("""
            interface: { name: eth0 }
            router_mac: 02:00:00:00:00:01
            x-pool: &pool
              - address: 10.0.0.999
            vips:
              - address: 10.100.0.1
                backends: *pool
            """);
        TestConfigs.AssertOnlyError(result, "vips[0].backends[0].address", 4, 14, "'10.0.0.999' is not an IPv4 or IPv6 address");
    }

    [Fact]
    public void Extension_keys_are_ignored_only_at_the_top_level()
    {
        ConfigLoadResult result = ForwarderConfigLoader.Load(TestConfigs.Minimal.Replace("  name: eth0", "  name: eth0\n  x-note: hi"));
        TestConfigs.AssertOnlyError(result, "interface.x-note", 3, 3, "unknown key 'x-note'");
    }

    [Fact]
    public void An_alias_to_an_unknown_anchor_is_refused()
    {
        ConfigLoadResult result = ForwarderConfigLoader.Load(TestConfigs.Prelude + "  - address: 10.100.0.1\n    backends: *nothing\n");
        ConfigDiagnostic error = Assert.Single(result.Errors);
        Assert.Equal(6, error.Line);
        Assert.Contains("nothing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nested_aliases_that_expand_beyond_the_limit_are_refused()
    {
        var yaml = new System.Text.StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i <= 8; i++)
            yaml.Append($"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10))}]\n");
        ConfigLoadResult result = ForwarderConfigLoader.Load(yaml.ToString());
        Assert.Contains("expand to more than", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_cannot_be_read_is_one_error()
    {
        string missing = Path.Combine(Path.GetTempPath(), $"forwarder-missing-{Guid.NewGuid():N}.yaml");
        ConfigLoadResult result = ForwarderConfigLoader.LoadFile(missing);
        ConfigDiagnostic error = Assert.Single(result.Errors);
        Assert.Null(result.Config);
        Assert.Equal(0, error.Line);
        Assert.StartsWith($"cannot read {missing}", error.ToString(), StringComparison.Ordinal);
    }
}
