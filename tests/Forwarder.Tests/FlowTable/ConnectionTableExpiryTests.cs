using System.Runtime.Versioning;
using Forwarder.FlowTable;
using Forwarder.Packets;

namespace Forwarder.Tests.FlowTable;

/// <summary>Idle timeouts per protocol, their exact boundary, the sweep, and ticks that wrap around.</summary>
[SupportedOSPlatform("linux")]
public sealed class ConnectionTableExpiryTests
{
    private const uint Tcp = 300_000;
    private const uint Udp = 30_000;

    [Fact]
    public void Udp_flows_expire_after_30_seconds_idle_and_tcp_connections_after_300()
    {
        ConnectionTable table = TestFlows.SmallTable(capacity: 1024);
        FlowKey tcp = TestFlows.Key(1, IpProtocol.Tcp);
        FlowKey udp = TestFlows.Key(1, IpProtocol.Udp);
        table.Set(tcp, TestFlows.Backend(1), IpVersion.V4, 0);
        table.Set(udp, TestFlows.Backend(2), IpVersion.V4, 0);

        Assert.True(table.TryGet(udp, Udp, out _, out _)); // idle exactly the timeout: alive, and seen again
        Assert.False(table.TryGet(udp, 2 * Udp + 1, out _, out _));
        Assert.True(table.TryGet(tcp, 2 * Udp + 1, out _, out _));
        Assert.Equal((1, 1), (table.Count, table.Expired));

        Assert.False(table.TryGet(tcp, 2 * Udp + 1 + Tcp + 1, out _, out _));
        Assert.Equal((0, 2, 2, 2), (table.Count, table.Expired, table.Hits, table.Misses));
    }

    [Fact]
    public void Timeouts_follow_the_options()
    {
        var table = new ConnectionTable(new ConnectionTableOptions
        {
            Capacity = 64,
            Ways = 4,
            TcpIdleTimeout = TimeSpan.FromSeconds(2),
            UdpIdleTimeout = TimeSpan.FromMilliseconds(500),
        });
        table.Set(TestFlows.Key(1, IpProtocol.Tcp), TestFlows.Backend(1), IpVersion.V4, 0);
        table.Set(TestFlows.Key(1, IpProtocol.Udp), TestFlows.Backend(1), IpVersion.V4, 0);

        Assert.False(table.TryGet(TestFlows.Key(1, IpProtocol.Udp), 501, out _, out _));
        Assert.True(table.TryGet(TestFlows.Key(1, IpProtocol.Tcp), 2000, out _, out _));
        Assert.False(table.TryGet(TestFlows.Key(1, IpProtocol.Tcp), 4001, out _, out _));
    }

    [Fact]
    public void Setting_a_dead_key_counts_its_expiry_and_keeps_occupancy()
    {
        ConnectionTable table = TestFlows.SmallTable();
        FlowKey udp = TestFlows.Key(1, IpProtocol.Udp);
        table.Set(udp, TestFlows.Backend(1), IpVersion.V4, 0);
        table.Set(udp, TestFlows.Backend(2), IpVersion.V4, Udp + 1);

        Assert.Equal((1, 1), (table.Count, table.Expired));
        Assert.True(table.TryGet(udp, Udp + 2, out WireAddress backend, out _));
        Assert.Equal(TestFlows.Backend(2), backend);
    }

    [Fact]
    public void Ticks_wrapping_around_zero_keep_ages_right()
    {
        ConnectionTable table = TestFlows.SmallTable();
        FlowKey udp = TestFlows.Key(1, IpProtocol.Udp);
        uint before = uint.MaxValue - 10_000;
        table.Set(udp, TestFlows.Backend(1), IpVersion.V4, before);

        uint after = unchecked(before + 20_000); // 9,999: the counter wrapped, 20 s passed
        Assert.True(table.TryGet(udp, after, out _, out _));
        Assert.True(table.TryGet(udp, after + Udp, out _, out _));
        Assert.False(table.TryGet(udp, after + 2 * Udp + 1, out _, out _));
        Assert.Equal((0, 1), (table.Count, table.Expired));

        // Eviction order across the wrap: the entry stamped before it is the older one.
        ConnectionTable single = TestFlows.SmallTable(capacity: 2, ways: 2);
        FlowKey[] keys = TestFlows.SameBucket(single, 3);
        single.Set(keys[0], TestFlows.Backend(0), IpVersion.V4, uint.MaxValue - 5);
        single.Set(keys[1], TestFlows.Backend(1), IpVersion.V4, 5);
        single.Set(keys[2], TestFlows.Backend(2), IpVersion.V4, 6);
        Assert.False(single.TryGet(keys[0], 7, out _, out _));
        Assert.True(single.TryGet(keys[1], 7, out _, out _));
        Assert.Equal(1, single.Evictions);
    }

    [Fact]
    public void Sweep_frees_dead_entries_round_robin_and_leaves_live_ones()
    {
        ConnectionTable table = TestFlows.SmallTable(capacity: 1024, ways: 8);
        for (int n = 0; n < 100; n++)
            table.Set(TestFlows.Key(n, IpProtocol.Udp), TestFlows.Backend(n), IpVersion.V4, 0);
        for (int n = 0; n < 50; n++)
            table.Set(TestFlows.Key(n, IpProtocol.Tcp), TestFlows.Backend(n), IpVersion.V4, 0);
        Assert.Equal((150, 0), (table.Count, table.Evictions));

        Assert.Equal(0, table.Sweep(Udp, table.BucketCount));
        int freed = 0;
        for (int i = 0; i < table.BucketCount; i++)
            freed += table.Sweep(Udp + 1, 1);
        Assert.Equal(100, freed);
        Assert.Equal((50, 100), (table.Count, table.Expired));
        Assert.Equal(0, table.Sweep(Udp + 1, int.MaxValue));
        Assert.Equal(0, table.Sweep(Udp + 1, -3));

        Assert.Equal(50, table.Sweep(Tcp + 1, int.MaxValue));
        Assert.Equal(0, table.Count);
    }
}
