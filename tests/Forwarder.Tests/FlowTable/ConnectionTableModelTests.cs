using System.Runtime.Versioning;
using Forwarder.FlowTable;
using Forwarder.Packets;

namespace Forwarder.Tests.FlowTable;

/// <summary>
/// 100,000 random operations (fixed seed) on a small, crowded table and on the reference model side
/// by side: every answer, the occupancy and every counter agree after every step. Time moves forward
/// by 1–40 ticks per operation, with a gap past the UDP timeout now and then and one past the TCP
/// timeout rarely, and wraps around zero midway. Four times as many keys as slots keep buckets full.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class ConnectionTableModelTests
{
    private const int Operations = 100_000;

    [Theory]
    [InlineData(256, 8, 1)]
    [InlineData(256, 4, 2)]
    [InlineData(64, 16, 3)]
    [InlineData(64, 1, 4)]
    public void The_table_behaves_like_the_reference_model(int capacity, int ways, int seed)
    {
        var table = new ConnectionTable(new ConnectionTableOptions
        {
            Capacity = capacity,
            Ways = ways,
            TcpIdleTimeout = TimeSpan.FromMilliseconds(100_000),
            UdpIdleTimeout = TimeSpan.FromMilliseconds(10_000),
        });
        var model = new ReferenceConnectionTable(table);
        var random = new Random(seed);
        FlowKey[] keys = Enumerable.Range(0, capacity * 4)
            .Select(n => TestFlows.Key(n, n % 3 == 0 ? IpProtocol.Udp : IpProtocol.Tcp, n % 5 == 0 ? IpVersion.V6 : IpVersion.V4))
            .ToArray();
        uint now = uint.MaxValue - 1_000_000;
        long evictions = 0, wrapped = 0;

        for (int step = 0; step < Operations; step++)
        {
            uint previous = now;
            now += random.Next(20_000) == 0 ? 150_000u : random.Next(500) == 0 ? 12_000u : (uint)random.Next(1, 40);
            if (now < previous)
                wrapped++;
            FlowKey key = keys[random.Next(keys.Length)];
            int choice = random.Next(100);
            if (choice < 45)
            {
                bool hit = table.TryGet(key, now, out WireAddress backend, out IpVersion version, out ushort port);
                bool expectedHit = model.TryGet(key, now, out WireAddress expectedBackend, out IpVersion expectedVersion, out ushort expectedPort);
                Assert.Equal((expectedHit, expectedBackend, expectedVersion, expectedPort), (hit, backend, version, port));
            }
            else if (choice < 85)
            {
                int backend = random.Next(1000);
                IpVersion version = backend % 2 == 0 ? IpVersion.V4 : IpVersion.V6;
                ushort port = backend % 3 == 0 ? (ushort)0 : (ushort)random.Next(1, 65536);
                table.Set(key, TestFlows.Backend(backend), version, port, now);
                model.Set(key, TestFlows.Backend(backend), version, port, now);
            }
            else if (choice < 97)
            {
                Assert.Equal(model.Remove(key), table.Remove(key));
            }
            else
            {
                int buckets = random.Next(-1, table.BucketCount + 2);
                Assert.Equal(model.Sweep(now, buckets), table.Sweep(now, buckets));
            }

            Assert.Equal(
                (model.Count, model.Hits, model.Misses, model.Evictions, model.Expired),
                (table.Count, table.Hits, table.Misses, table.Evictions, table.Expired));
            evictions = table.Evictions;
        }

        // The run went through every path: a full table, evictions, expiries, and the wrap of the clock.
        Assert.Equal(1, wrapped);
        Assert.True(evictions > 1000, $"only {evictions} evictions");
        Assert.True(table.Expired > 1000, $"only {table.Expired} expiries");
        Assert.True(table.Hits > 5000, $"only {table.Hits} hits");
    }
}
