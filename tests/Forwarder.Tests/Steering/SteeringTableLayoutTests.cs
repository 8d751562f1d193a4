using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using Forwarder.Steering;

namespace Forwarder.Tests.Steering;

/// <summary>The user-space half of redirect.c's open-addressed tables: where each key goes, and what is refused.</summary>
[SupportedOSPlatform("linux")]
public sealed class SteeringTableLayoutTests
{
    private static VipMapKey Key(string address, ushort port, ProtocolType protocol) => VipMapKey.Create(IPAddress.Parse(address), port, protocol);

    /// <summary>What a configuration writes: per VIP its TCP and UDP keys and its address-level key.</summary>
    private static List<VipMapKey> VipKeys(int count, bool v6 = false)
    {
        var keys = new List<VipMapKey>();
        for (int i = 0; i < count; i++)
        {
            IPAddress address = v6 ? IPAddress.Parse($"fc00::{i >> 16:x}:{i & 0xFFFF:x}") : new IPAddress(new byte[] { 10, (byte)(100 + (i >> 16)), (byte)(i >> 8), (byte)i });
            keys.Add(VipMapKey.Create(address, (ushort)(80 + i % 3), ProtocolType.Tcp));
            keys.Add(VipMapKey.Create(address, (ushort)(80 + i % 3), ProtocolType.Udp));
            keys.Add(VipMapKey.ForAddress(address));
        }
        return keys;
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(64, false)]
    [InlineData(64, true)]
    [InlineData(5000, false)]
    [InlineData(5000, true)]
    [InlineData(10922, false)] // 32,766 keys: the largest table
    [InlineData(10922, true)]
    public void Every_key_is_found_within_the_probe_bound(int vips, bool v6)
    {
        List<VipMapKey> keys = VipKeys(vips, v6);

        SteeringTableLayout layout = SteeringTableLayout.Build(keys, "VIP");

        Assert.All(keys, key => Assert.True(layout.Find(key) >= 0, $"{key.Family} key not found"));
        Assert.Equal(keys.Count, layout.Slots.Count(s => !s.IsEmpty));
        Assert.True(System.Numerics.BitOperations.IsPow2(layout.Slots.Length));
        Assert.InRange(layout.Slots.Length, 2 * keys.Count, SteeringTableLayout.MaxSlots);
    }

    [Fact]
    public void Keys_that_are_not_in_the_table_are_not_found()
    {
        SteeringTableLayout layout = SteeringTableLayout.Build(VipKeys(300), "VIP");

        Assert.Equal(-1, layout.Find(Key("10.100.0.0", 81, ProtocolType.Tcp))); // VIP 0's port is 80
        Assert.Equal(-1, layout.Find(Key("10.99.0.0", 80, ProtocolType.Tcp)));
        Assert.Equal(-1, layout.Find(VipMapKey.ForAddress(IPAddress.Parse("fc00::1"))));
        Assert.Equal(-1, SteeringTableLayout.Build([], "VIP").Find(Key("10.100.0.0", 80, ProtocolType.Tcp)));
    }

    [Fact]
    public void One_key_set_gives_one_layout_whatever_the_order_and_repeats()
    {
        List<VipMapKey> keys = VipKeys(2000);
        var shuffled = keys.Concat(keys.Take(10)).OrderBy(k => k.GetHashCode()).ToList();

        SteeringTableLayout first = SteeringTableLayout.Build(keys, "VIP");
        SteeringTableLayout second = SteeringTableLayout.Build(shuffled, "VIP");

        Assert.Equal(first.Seed, second.Seed);
        Assert.Equal(first.Slots, second.Slots);
        Assert.Equal(keys.Count, second.KeyCount);
    }

    [Fact]
    public void An_empty_set_is_an_empty_table()
    {
        SteeringTableLayout layout = SteeringTableLayout.Build([], "nat backend");

        Assert.All(layout.Slots, slot => Assert.True(slot.IsEmpty));
        Assert.Equal((uint)layout.Slots.Length - 1, layout.Shape.Mask);
    }

    [Fact]
    public void More_keys_than_a_table_takes_are_refused_with_the_limit()
    {
        List<VipMapKey> keys = VipKeys(10923); // 32,769 keys

        var refused = Assert.Throws<InvalidOperationException>(() => SteeringTableLayout.Build(keys, "VIP"));

        Assert.Contains("VIP table takes at most 32768 keys", refused.Message);
        Assert.Contains("32769", refused.Message);
    }

    [Fact]
    public void Slots_and_keys_keep_the_layout_the_program_reads()
    {
        Assert.Equal(32, System.Runtime.CompilerServices.Unsafe.SizeOf<SteeringSlot>());
        Assert.Equal(16, System.Runtime.CompilerServices.Unsafe.SizeOf<TableShape>());
        Assert.Equal(72, System.Runtime.CompilerServices.Unsafe.SizeOf<SteeringControl>());
        VipMapKey key = Key("10.1.2.3", 443, ProtocolType.Udp);
        Assert.Equal(0x04_11_BB01u, SteeringHash.Tail(key)); // port 443 as stored (01 BB), UDP 17, family 4
        Assert.NotEqual(0u, SteeringHash.Tail(VipMapKey.ForAddress(IPAddress.Parse("::")))); // family 6: never an empty slot
    }
}
