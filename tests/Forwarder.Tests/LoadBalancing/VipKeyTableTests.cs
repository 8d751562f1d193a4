using System.Net;
using Forwarder.DataPlane;
using Forwarder.Packets;

namespace Forwarder.Tests.LoadBalancing;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class VipKeyTableTests
{
    private static VipKey Key(string address, byte protocol, ushort port) =>
        new(WireAddress.FromIPAddress(IPAddress.Parse(address)), address.Contains(':') ? IpVersion.V6 : IpVersion.V4, protocol, port);

    [Fact]
    public void Finds_exact_keys_then_the_any_port_entry()
    {
        var table = new VipKeyTable(new Dictionary<VipKey, int>
        {
            [Key("10.0.0.1", 6, 80)] = 1,
            [Key("10.0.0.1", 6, 0)] = 2,
            [Key("10.0.0.2", 17, 53)] = 3,
        });

        Assert.Equal(1, table.FindWithAnyPort(Key("10.0.0.1", 6, 80)));
        Assert.Equal(2, table.FindWithAnyPort(Key("10.0.0.1", 6, 443)));
        Assert.Equal(3, table.Find(Key("10.0.0.2", 17, 53)));
        Assert.Equal(-1, table.FindWithAnyPort(Key("10.0.0.2", 17, 54)));
        Assert.Equal(-1, table.FindWithAnyPort(Key("10.0.0.2", 6, 53)));
    }

    [Fact]
    public void An_ipv4_address_never_matches_the_ipv6_address_with_the_same_first_bytes()
    {
        var table = new VipKeyTable(new Dictionary<VipKey, int> { [Key("10.0.0.1", 6, 80)] = 1 });

        Assert.Equal(-1, table.Find(Key("a00:1::", 6, 80)));
    }

    [Fact]
    public void Thousands_of_keys_are_all_found_and_absent_ones_are_not()
    {
        var entries = new Dictionary<VipKey, int>();
        for (int i = 0; i < 5000; i++)
            entries[Key($"10.{i / 256}.{i % 256}.1", 6, (ushort)(i % 7))] = i;
        var table = new VipKeyTable(entries);

        foreach ((VipKey key, int value) in entries)
            Assert.Equal(value, table.Find(key));
        Assert.Equal(-1, table.Find(Key("10.200.0.1", 6, 0)));
    }

    [Fact]
    public void The_empty_table_finds_nothing()
    {
        Assert.Equal(-1, VipKeyTable.Empty.FindWithAnyPort(Key("10.0.0.1", 6, 80)));
    }
}
