using System.Runtime.Versioning;
using Forwarder.Configuration;

namespace Forwarder.Tests.Configuration;

/// <summary>Errors in the top level and the <c>interface</c> section name the field, its line and column.</summary>
[SupportedOSPlatform("linux")]
public class InterfaceErrorTests
{
    private static ConfigLoadResult Load(string yaml, IReadOnlyCollection<int>? cpus = null) => ForwarderConfigLoader.Load(yaml, cpus);

    [Fact]
    public void Missing_required_sections_are_each_reported_at_the_mapping_that_lacks_them()
    {
        ConfigLoadResult result = Load("mtu: 1500\n");
        TestConfigs.AssertError(result, "interface", 1, 1, "missing");
        TestConfigs.AssertError(result, "router_mac", 1, 1, "missing");
        TestConfigs.AssertError(result, "vips", 1, 1, "missing");
        Assert.Equal(3, result.Errors.Count);
    }

    [Fact]
    public void A_missing_interface_name_is_reported_at_the_interface_section()
    {
        ConfigLoadResult result = Load("""
            router_mac: 02:00:00:00:00:01
            interface:
              queues: [0]
            vips: []
            """);
        TestConfigs.AssertOnlyError(result, "interface.name", 3, 3, "missing; give the interface name");
    }

    [Theory]
    [InlineData("eth0/1")]
    [InlineData("a-name-that-is-too-long")]
    [InlineData("'eth 0'")]
    [InlineData("\"\"")]
    [InlineData("''")]
    [InlineData("'   '")]
    [InlineData("abcdefghijklmnop")]
    public void An_impossible_interface_name_is_refused(string name)
    {
        ConfigLoadResult result = Load($"interface:\n  name: {name}\nrouter_mac: 02:00:00:00:00:01\nvips: []\n");
        TestConfigs.AssertOnlyError(result, "interface.name", 2, 9, "is not a Linux interface name");
    }

    [Fact]
    public void A_name_of_15_characters_is_the_longest_accepted()
    {
        Assert.True(Load("interface:\n  name: abcdefghijklmno\nrouter_mac: 02:00:00:00:00:01\nvips: []\n").IsValid);
    }

    [Fact]
    public void A_queue_listed_twice_is_reported_at_its_second_place()
    {
        ConfigLoadResult result = Load("""
            interface:
              name: eth0
              queues: [0, 1, 1]
              cores: [4, 5, 6]
            router_mac: 02:00:00:00:00:01
            vips: []
            """);
        TestConfigs.AssertOnlyError(result, "interface.queues[2]", 3, 18, "queue 1 is listed twice (also interface.queues[1])");
    }

    [Fact]
    public void Cores_must_match_the_queues_one_for_one()
    {
        ConfigLoadResult result = Load("""
            interface:
              name: eth0
              queues: [0, 1]
              cores: [2]
            router_mac: 02:00:00:00:00:01
            vips: []
            """);
        TestConfigs.AssertOnlyError(result, "interface.cores", 4, 10, "lists 1 CPU(s) for 2 queue(s)");
    }

    [Fact]
    public void A_core_listed_twice_is_refused()
    {
        ConfigLoadResult result = Load("interface:\n  name: eth0\n  queues: [0, 1]\n  cores: [3, 3]\nrouter_mac: 02:00:00:00:00:01\nvips: []\n");
        TestConfigs.AssertOnlyError(result, "interface.cores[1]", 4, 14, "CPU 3 is listed twice");
    }

    [Fact]
    public void Queue_numbers_are_range_checked()
    {
        ConfigLoadResult result = Load("interface:\n  name: eth0\n  queues: [0, 1024, -1, x]\nrouter_mac: 02:00:00:00:00:01\nvips: []\n");
        TestConfigs.AssertError(result, "interface.queues[1]", 3, 15, "1024 is out of range; expected a whole number from 0 to 1023");
        TestConfigs.AssertError(result, "interface.queues[2]", 3, 21, "-1 is out of range");
        TestConfigs.AssertError(result, "interface.queues[3]", 3, 25, "expected a whole number from 0 to 1023, got 'x'");
        Assert.Equal(3, result.Errors.Count);
    }

    [Fact]
    public void An_empty_queue_list_is_refused()
    {
        ConfigLoadResult result = Load("interface:\n  name: eth0\n  queues: []\nrouter_mac: 02:00:00:00:00:01\nvips: []\n");
        TestConfigs.AssertOnlyError(result, "interface.queues", 3, 11, "the list is empty");
    }

    [Fact]
    public void Cores_outside_the_process_affinity_are_refused_when_the_caller_gives_it()
    {
        const string yaml = "interface:\n  name: eth0\n  queues: [0, 1]\n  cores: [1, 7]\nrouter_mac: 02:00:00:00:00:01\nvips: []\n";
        Assert.True(Load(yaml).IsValid);
        ConfigLoadResult result = Load(yaml, cpus: [0, 1]);
        TestConfigs.AssertOnlyError(result, "interface.cores[1]", 4, 14, "CPU 7 is not available to this process (available: 0,1)");
    }

    [Fact]
    public void Without_cores_the_queue_numbers_are_checked_as_cpus()
    {
        ConfigLoadResult result = Load("interface:\n  name: eth0\n  queues: [0, 5]\nrouter_mac: 02:00:00:00:00:01\nvips: []\n", cpus: [0, 1]);
        TestConfigs.AssertOnlyError(result, "interface.queues[1]", 3, 15, "CPU 5 is not available");
    }

    [Fact]
    public void An_unknown_xdp_mode_lists_the_choices()
    {
        ConfigLoadResult result = Load("interface:\n  name: eth0\n  xdp_mode: generic\nrouter_mac: 02:00:00:00:00:01\nvips: []\n");
        TestConfigs.AssertOnlyError(result, "interface.xdp_mode", 3, 13, "'generic' is not one of: native, skb");
    }

    [Theory]
    [InlineData("mtu: 1279", 1, 6, "1279 is out of range; expected a whole number from 1280 to 9216")]
    [InlineData("mtu: 9217", 1, 6, "out of range")]
    [InlineData("mtu: \"1500\"", 1, 6, "got the quoted text '1500'; write the number without quotes")]
    [InlineData("mtu: 1500.5", 1, 6, "got '1500.5'")]
    [InlineData("mtu: [1500]", 1, 6, "got a list")]
    public void The_mtu_is_a_number_in_range(string line, int lineNumber, int column, string fragment)
    {
        ConfigLoadResult result = Load($"{line}\ninterface:\n  name: eth0\nrouter_mac: 02:00:00:00:00:01\nvips: []\n");
        TestConfigs.AssertOnlyError(result, "mtu", lineNumber, column, fragment);
    }

    [Theory]
    [InlineData("02:00:00:00:00", "is not a MAC address like 02:00:00:00:00:01")]
    [InlineData("02:00:00:00:00:0g", "is not a MAC address")]
    [InlineData("ff:ff:ff:ff:ff:ff", "is a multicast or broadcast MAC address")]
    [InlineData("01:00:5e:00:00:01", "is a multicast or broadcast MAC address")]
    [InlineData("00:00:00:00:00:00", "is the all-zero MAC address")]
    public void The_router_mac_must_be_a_unicast_mac(string mac, string fragment)
    {
        ConfigLoadResult result = Load($"interface:\n  name: eth0\nrouter_mac: {mac}\nvips: []\n");
        TestConfigs.AssertOnlyError(result, "router_mac", 3, 13, fragment);
    }

    [Fact]
    public void Gue_sources_must_be_of_their_family()
    {
        ConfigLoadResult result = Load("""
            interface: { name: eth0 }
            router_mac: 02:00:00:00:00:01
            gue:
              port: 0
              source_v4: fc00::1
              source_v6: 10.0.0.1
            vips: []
            """);
        TestConfigs.AssertError(result, "gue.port", 4, 9, "0 is out of range; expected a whole number from 1 to 65535");
        TestConfigs.AssertError(result, "gue.source_v4", 5, 14, "fc00::1 is not an IPv4 address");
        TestConfigs.AssertError(result, "gue.source_v6", 6, 14, "10.0.0.1 is not an IPv6 address");
        Assert.Equal(3, result.Errors.Count);
    }
}
