using System.Runtime.Versioning;
using Forwarder.FlowTable;
using Forwarder.Packets;

namespace Forwarder.Tests.FlowTable;

/// <summary>What a connection key holds, how it compares, and that its hash spreads.</summary>
[SupportedOSPlatform("linux")]
public sealed class FlowKeyTests
{
    [Fact]
    public void A_key_from_a_packet_holds_the_client_side_of_the_flow()
    {
        var packet = new ParsedPacket
        {
            Source = WireAddress.FromBytes([192, 168, 1, 1]),
            Destination = TestFlows.Vip4,
            PortsWord = TestFlows.PortsWord(31337, 80),
            Protocol = IpProtocol.Tcp,
            Version = IpVersion.V4,
            Kind = PacketKind.Flow,
        };
        FlowKey key = FlowKey.FromPacket(packet);

        Assert.Equal(packet.Source, key.Client);
        Assert.Equal(packet.Destination, key.Vip);
        Assert.Equal(packet.PortsWord, key.PortsWord);
        Assert.Equal(IpProtocol.Tcp, key.Protocol);
        Assert.Equal(IpVersion.V4, key.Version);
        Assert.Equal("192.168.1.1:31337 → 10.0.0.100:80/6", key.ToString());
        Assert.Equal(new FlowKey(packet.Source, packet.Destination, packet.PortsWord, IpProtocol.Tcp, IpVersion.V4), key);
    }

    [Theory]
    [InlineData("192.168.1.1", "10.0.0.100", IpVersion.V4, IpProtocol.Tcp)]
    [InlineData("2001:db8::1:2", "fc00::100", IpVersion.V6, IpProtocol.Udp)]
    public void A_key_written_in_place_is_the_key_from_the_packet_hash_included(string client, string vip, IpVersion version, byte protocol)
    {
        var packet = new ParsedPacket
        {
            Source = WireAddress.FromIPAddress(System.Net.IPAddress.Parse(client)),
            Destination = WireAddress.FromIPAddress(System.Net.IPAddress.Parse(vip)),
            PortsWord = TestFlows.PortsWord(40001, 443),
            Protocol = protocol,
            Version = version,
            Kind = PacketKind.Flow,
        };
        var keys = new FlowKey[3];
        keys[1] = TestFlows.Key(9); // a slot that held another key

        FlowKey.Write(ref keys[1], packet);

        FlowKey expected = FlowKey.FromPacket(packet);
        Assert.Equal(expected, keys[1]);
        Assert.Equal(expected.Hash, keys[1].Hash);
        Assert.Equal(default, keys[0]);
        Assert.Equal(default, keys[2]);
    }

    [Fact]
    public void Equal_keys_hash_alike_and_a_change_in_any_field_makes_another_key()
    {
        FlowKey key = TestFlows.Key(5);
        FlowKey same = TestFlows.Key(5);
        Assert.True(key == same);
        Assert.Equal(key.Hash, same.Hash);
        Assert.Equal(key.GetHashCode(), same.GetHashCode());

        FlowKey[] others =
        [
            TestFlows.Key(6),
            new(key.Client, TestFlows.Vip6, key.PortsWord, key.Protocol, key.Version),
            new(key.Client, key.Vip, key.PortsWord + 1, key.Protocol, key.Version),
            new(key.Client, key.Vip, key.PortsWord, IpProtocol.Udp, key.Version),
            new(key.Client, key.Vip, key.PortsWord, key.Protocol, IpVersion.V6),
        ];
        foreach (FlowKey other in others)
        {
            Assert.True(key != other);
            Assert.False(key.Equals((object)other));
            Assert.NotEqual(key.Hash, other.Hash);
        }
    }

    [Fact]
    public void The_hash_spreads_one_clients_connections_and_one_port_over_many_clients()
    {
        // The same client and VIP, consecutive client ports (what a VIP hashing without source port would crowd).
        WireAddress client = WireAddress.FromBytes([192, 168, 1, 1]);
        AssertSpread(Enumerable.Range(0, 65_536).Select(p => new FlowKey(client, TestFlows.Vip4, TestFlows.PortsWord((ushort)p, 80), IpProtocol.Tcp, IpVersion.V4)));
        // Consecutive IPv6 clients, one port.
        AssertSpread(Enumerable.Range(0, 65_536).Select(n => TestFlows.Key(n, IpProtocol.Udp, IpVersion.V6)));
    }

    /// <summary>65,536 keys over 4,096 buckets (by the high half of the hash, as the table uses it): 16 a bucket on average, none past 48.</summary>
    private static void AssertSpread(IEnumerable<FlowKey> keys)
    {
        var buckets = new int[4096];
        var tags = new HashSet<uint>();
        foreach (FlowKey key in keys)
        {
            buckets[(key.Hash >> 32) & 4095]++;
            tags.Add((uint)key.Hash);
        }
        Assert.True(buckets.Min() > 0, "a bucket is empty");
        Assert.True(buckets.Max() <= 48, $"a bucket has {buckets.Max()}");
        Assert.True(tags.Count > 65_000, $"only {tags.Count} distinct low halves");
    }
}
