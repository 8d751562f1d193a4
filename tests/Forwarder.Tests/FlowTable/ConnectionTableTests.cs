using System.Runtime.Intrinsics;
using System.Runtime.Versioning;
using Forwarder.FlowTable;
using Forwarder.Packets;

namespace Forwarder.Tests.FlowTable;

/// <summary>Hits, misses, overwrites, removal, least-recently-seen eviction and exact occupancy.</summary>
[SupportedOSPlatform("linux")]
public sealed class ConnectionTableTests
{
    private const uint Start = 1000;

    [Fact]
    public void A_key_that_was_set_hits_with_its_backend_and_others_miss()
    {
        ConnectionTable table = TestFlows.SmallTable();
        table.Set(TestFlows.Key(1), TestFlows.Backend(7), IpVersion.V4, Start);

        Assert.True(table.TryGet(TestFlows.Key(1), Start + 1, out WireAddress backend, out IpVersion version));
        Assert.Equal(TestFlows.Backend(7), backend);
        Assert.Equal(IpVersion.V4, version);

        Assert.False(table.TryGet(TestFlows.Key(2), Start + 1, out backend, out version));
        Assert.Equal(default, backend);
        Assert.Equal(IpVersion.None, version);
        Assert.Equal((1, 1, 1), (table.Count, table.Hits, table.Misses));
    }

    [Fact]
    public void A_key_set_with_a_backend_port_comes_back_with_that_port()
    {
        ConnectionTable table = TestFlows.SmallTable();
        const ushort port = 8080;
        table.Set(TestFlows.Key(1), TestFlows.Backend(7), IpVersion.V4, port, Start);
        table.Set(TestFlows.Key(2), TestFlows.Backend(7), IpVersion.V4, ushort.MaxValue, Start);
        table.Set(TestFlows.Key(3), TestFlows.Backend(7), IpVersion.V4, Start); // no port

        Assert.True(table.TryGet(TestFlows.Key(1), Start + 1, out WireAddress backend, out IpVersion version, out ushort got));
        Assert.Equal((TestFlows.Backend(7), IpVersion.V4, port), (backend, version, got));
        Assert.True(table.TryGet(TestFlows.Key(2), Start + 1, out _, out _, out got));
        Assert.Equal(ushort.MaxValue, got);
        Assert.True(table.TryGet(TestFlows.Key(3), Start + 1, out _, out _, out got));
        Assert.Equal(0, got);
        Assert.False(table.TryGet(TestFlows.Key(4), Start + 1, out _, out _, out got));
        Assert.Equal(0, got);
    }

    [Fact]
    public void Setting_a_key_again_with_another_port_of_the_same_address_overwrites_the_port()
    {
        ConnectionTable table = TestFlows.SmallTable();
        table.Set(TestFlows.Key(1), TestFlows.Backend(7), IpVersion.V4, 8080, Start);
        table.Set(TestFlows.Key(1), TestFlows.Backend(7), IpVersion.V4, 8081, Start + 1);

        Assert.Equal(1, table.Count);
        Assert.True(table.TryGet(TestFlows.Key(1), Start + 2, out WireAddress backend, out _, out ushort port));
        Assert.Equal((TestFlows.Backend(7), (ushort)8081), (backend, port));

        table.Set(TestFlows.Key(1), TestFlows.Backend(7), IpVersion.V4, Start + 3);
        Assert.True(table.TryGet(TestFlows.Key(1), Start + 4, out _, out _, out port));
        Assert.Equal(0, port);
    }

    [Fact]
    public void Keys_differing_in_one_field_are_different_connections()
    {
        ConnectionTable table = TestFlows.SmallTable(capacity: 1024);
        FlowKey key = TestFlows.Key(1);
        FlowKey[] neighbours =
        [
            new(key.Client, TestFlows.Vip6, key.PortsWord, key.Protocol, key.Version),
            new(key.Client, key.Vip, TestFlows.PortsWord(1025, 443), key.Protocol, key.Version),
            new(key.Client, key.Vip, key.PortsWord, IpProtocol.Udp, key.Version),
            new(key.Client, key.Vip, key.PortsWord, key.Protocol, IpVersion.V6),
            new(TestFlows.Backend(1), key.Vip, key.PortsWord, key.Protocol, key.Version),
        ];
        table.Set(key, TestFlows.Backend(1), IpVersion.V4, Start);
        for (int i = 0; i < neighbours.Length; i++)
            table.Set(neighbours[i], TestFlows.Backend(2 + i), IpVersion.V4, Start);

        Assert.Equal(6, table.Count);
        Assert.True(table.TryGet(key, Start, out WireAddress backend, out _));
        Assert.Equal(TestFlows.Backend(1), backend);
        for (int i = 0; i < neighbours.Length; i++)
        {
            Assert.True(table.TryGet(neighbours[i], Start, out backend, out _));
            Assert.Equal(TestFlows.Backend(2 + i), backend);
        }
    }

    [Fact]
    public void Setting_a_key_again_overwrites_its_backend_in_place()
    {
        ConnectionTable table = TestFlows.SmallTable();
        WireAddress v6Backend = WireAddress.FromBytes([0xfc, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9]);
        table.Set(TestFlows.Key(1), TestFlows.Backend(7), IpVersion.V4, Start);
        table.Set(TestFlows.Key(1), v6Backend, IpVersion.V6, Start + 5);

        Assert.Equal(1, table.Count);
        Assert.True(table.TryGet(TestFlows.Key(1), Start + 6, out WireAddress backend, out IpVersion version));
        Assert.Equal(v6Backend, backend);
        Assert.Equal(IpVersion.V6, version);
        Assert.Equal((0, 0), (table.Evictions, table.Expired));
    }

    [Fact]
    public void A_removed_key_misses_and_frees_its_slot()
    {
        ConnectionTable table = TestFlows.SmallTable();
        table.Set(TestFlows.Key(1), TestFlows.Backend(7), IpVersion.V4, Start);
        table.Set(TestFlows.Key(2), TestFlows.Backend(8), IpVersion.V4, Start);

        Assert.True(table.Remove(TestFlows.Key(1)));
        Assert.False(table.Remove(TestFlows.Key(1)));
        Assert.False(table.Remove(TestFlows.Key(3)));
        Assert.Equal(1, table.Count);
        Assert.False(table.TryGet(TestFlows.Key(1), Start, out _, out _));
        Assert.True(table.TryGet(TestFlows.Key(2), Start, out _, out _));
    }

    [Fact]
    public void A_full_bucket_evicts_its_least_recently_seen_entry_and_counts_it()
    {
        ConnectionTable table = TestFlows.SmallTable(capacity: 64, ways: 4);
        FlowKey[] keys = TestFlows.SameBucket(table, 6);
        for (int i = 0; i < 4; i++)
            table.Set(keys[i], TestFlows.Backend(i), IpVersion.V4, Start + (uint)i);
        Assert.True(table.TryGet(keys[0], Start + 10, out _, out _)); // now keys[1] is the least recently seen

        table.Set(keys[4], TestFlows.Backend(4), IpVersion.V4, Start + 11);
        Assert.Equal((4, 1, 0), (table.Count, table.Evictions, table.Expired));
        Assert.False(table.TryGet(keys[1], Start + 12, out _, out _));
        foreach (int i in new[] { 0, 2, 3, 4 })
        {
            Assert.True(table.TryGet(keys[i], Start + 12, out WireAddress backend, out _));
            Assert.Equal(TestFlows.Backend(i), backend);
        }

        // All four were just seen at Start + 12, in this order of ways; the next one evicts one of them, and only one.
        table.Set(keys[5], TestFlows.Backend(5), IpVersion.V4, Start + 13);
        Assert.Equal((4, 2), (table.Count, table.Evictions));
    }

    [Fact]
    public void A_full_bucket_reuses_a_dead_entry_before_evicting_a_live_one_that_was_seen_earlier()
    {
        ConnectionTable table = TestFlows.SmallTable(capacity: 64, ways: 4);
        int bucket = table.BucketOf(TestFlows.Key(0));
        FlowKey[] tcp = TestFlows.InBucket(table, bucket, 4, n => TestFlows.Key(n));
        FlowKey udp = TestFlows.InBucket(table, bucket, 1, n => TestFlows.Key(n, IpProtocol.Udp))[0];
        for (int i = 0; i < 3; i++)
            table.Set(tcp[i], TestFlows.Backend(i), IpVersion.V4, Start);
        table.Set(udp, TestFlows.Backend(9), IpVersion.V4, Start + 60_000);

        // 100 s on: the TCP entries (seen 100 s ago) are alive, the UDP one (seen 40 s ago) is dead.
        table.Set(tcp[3], TestFlows.Backend(3), IpVersion.V4, Start + 100_000);
        Assert.Equal((4, 0, 1), (table.Count, table.Evictions, table.Expired));
        for (int i = 0; i < 4; i++)
            Assert.True(table.TryGet(tcp[i], Start + 100_000, out _, out _));
        Assert.False(table.TryGet(udp, Start + 100_000, out _, out _));
    }

    [Fact]
    public void The_table_reports_its_fixed_memory()
    {
        Assert.Equal(72, ConnectionTable.BytesPerEntry);
        Assert.Equal(64, System.Runtime.CompilerServices.Unsafe.SizeOf<FlowEntry>());
        Assert.Equal(72L << 20, ConnectionTableOptions.Default.MemoryBytes);

        ConnectionTable table = TestFlows.SmallTable(capacity: 1024, ways: 8);
        Assert.Equal((1024, 8, 128), (table.Capacity, table.Ways, table.BucketCount));
        Assert.Equal(1024L * 72, table.MemoryBytes);
    }

    [Fact]
    public void Prefetching_changes_nothing()
    {
        ConnectionTable table = TestFlows.SmallTable();
        FlowKey[] keys = [TestFlows.Key(1), TestFlows.Key(2), TestFlows.Key(3)];
        table.Prefetch(keys[0]);
        table.Prefetch(keys);
        table.Set(keys[0], TestFlows.Backend(1), IpVersion.V4, Start);
        table.Set(keys[1], TestFlows.Backend(2), IpVersion.V4, Start);
        table.Prefetch(keys[0]);
        table.Prefetch(keys);
        table.Prefetch([]);

        Assert.Equal((2, 0, 0), (table.Count, table.Hits, table.Misses));
        Assert.True(table.TryGet(keys[0], Start, out _, out _));
        Assert.True(table.TryGet(keys[1], Start, out _, out _));
        Assert.False(table.TryGet(keys[2], Start, out _, out _));
    }

    [Theory]
    [InlineData(4)]
    [InlineData(8)]
    public void The_vector_tag_compare_agrees_with_the_scalar_loop(int ways)
    {
        Assert.True(ways == 8 ? Vector256.IsHardwareAccelerated : Vector128.IsHardwareAccelerated,
            $"this CPU has no vector compare for {ways} ways: the test would compare the scalar loop with itself");
        var table = TestFlows.SmallTable(capacity: 1024, ways: ways);
        for (int n = 0; n < 900; n++)
            table.Set(TestFlows.Key(n, n % 2 == 0 ? IpProtocol.Tcp : IpProtocol.Udp), TestFlows.Backend(n), IpVersion.V4, Start);
        var random = new Random(ways);
        int nonZero = 0;
        for (int bucket = 0; bucket < table.BucketCount; bucket++)
        {
            var tags = new List<uint> { 0, (uint)random.NextInt64(1L << 32) };
            for (int way = 0; way < ways; way++)
                tags.Add(table.TagAt(bucket, way));
            foreach (uint tag in tags)
            {
                (uint vector, uint scalar) = table.TagMasks(bucket, tag);
                Assert.Equal(scalar, vector);
                nonZero += tag != 0 && vector != 0 ? 1 : 0; // tag 0 matches every empty slot: not evidence of stored tags
            }
        }
        Assert.True(nonZero > table.BucketCount, "the buckets were nearly empty");
    }
}
