using System.Runtime.Versioning;
using Forwarder.FlowTable;
using Forwarder.Packets;

namespace Forwarder.Tests.FlowTable;

/// <summary>Purges posted to a table: carried out by the owner in bounded slices, exact, and safe beside traffic.</summary>
[SupportedOSPlatform("linux")]
public sealed class ConnectionTablePurgeTests
{
    private const uint Now = 10_000;

    private static void ServeUntilDone(ConnectionTable table, PurgeRequest request)
    {
        for (int i = 0; i <= table.BucketCount / ConnectionTable.PurgeBucketsPerServe + 1 && !request.Done; i++)
            table.ServeRequests();
    }

    [Fact]
    public void A_purge_removes_exactly_the_backends_entries_and_keeps_count_exact()
    {
        var table = new ConnectionTable(new ConnectionTableOptions { Capacity = 1 << 14, Ways = 8 });
        int[] backendOf = new int[3000];
        for (int n = 0; n < backendOf.Length; n++)
        {
            backendOf[n] = n % 3;
            table.Set(TestFlows.Key(n), TestFlows.Backend(backendOf[n]), IpVersion.V4, Now);
        }
        long before = table.Count;
        long ofBackend1 = Enumerable.Range(0, backendOf.Length).Count(n => backendOf[n] == 1 && Present(table, n));

        var request = new PurgeRequest(TestFlows.Backend(1), IpVersion.V4);
        Assert.True(table.Requests.TryPost(request));
        ServeUntilDone(table, request);

        Assert.True(request.Done);
        Assert.Equal(ofBackend1, request.Removed);
        Assert.Equal(before - ofBackend1, table.Count);
        for (int n = 0; n < backendOf.Length; n++)
        {
            bool hit = table.TryGet(TestFlows.Key(n), Now + 1, out WireAddress backend, out _);
            if (backendOf[n] == 1)
                Assert.False(hit);
            else if (hit)
                Assert.Equal(TestFlows.Backend(backendOf[n]), backend);
        }
    }

    private static bool Present(ConnectionTable table, int n) => table.Peek(TestFlows.Key(n), Now, out _) == PeekOutcome.Found;

    [Fact]
    public void A_purge_with_a_port_removes_only_that_port_of_the_address()
    {
        ConnectionTable table = TestFlows.SmallTable(capacity: 256, ways: 8);
        table.Set(TestFlows.Key(1), TestFlows.Backend(7), IpVersion.V4, 8080, Now);
        table.Set(TestFlows.Key(2), TestFlows.Backend(7), IpVersion.V4, 8081, Now);
        var request = new PurgeRequest(TestFlows.Backend(7), IpVersion.V4, 8080);
        Assert.True(table.Requests.TryPost(request));
        ServeUntilDone(table, request);
        Assert.Equal(1, request.Removed);
        Assert.False(table.TryGet(TestFlows.Key(1), Now, out _, out _));
        Assert.True(table.TryGet(TestFlows.Key(2), Now, out _, out _));
    }

    [Fact]
    public void One_request_at_a_time_and_a_request_is_posted_once()
    {
        ConnectionTable table = TestFlows.SmallTable();
        var first = new PurgeRequest(TestFlows.Backend(1), IpVersion.V4);
        Assert.True(table.Requests.TryPost(first));
        Assert.False(table.Requests.TryPost(new PurgeRequest(TestFlows.Backend(2), IpVersion.V4)));
        ServeUntilDone(table, first);
        Assert.True(first.Done);
        Assert.False(table.Requests.TryPost(first)); // already taken by a table
        Assert.True(table.Requests.TryPost(new PurgeRequest(TestFlows.Backend(2), IpVersion.V4)));
    }

    [Fact]
    public void A_large_table_is_purged_in_bounded_slices()
    {
        var table = new ConnectionTable(new ConnectionTableOptions { Capacity = 1 << 16, Ways = 8 });
        var request = new PurgeRequest(TestFlows.Backend(1), IpVersion.V4);
        Assert.True(table.Requests.TryPost(request));
        int serves = 0;
        while (!request.Done)
        {
            table.ServeRequests();
            serves++;
            Assert.True(serves <= 1000);
        }
        Assert.Equal((table.BucketCount + ConnectionTable.PurgeBucketsPerServe - 1) / ConnectionTable.PurgeBucketsPerServe, serves);
    }

    [Fact]
    public void While_a_purge_is_under_way_the_backends_connections_are_moved_and_counted_once()
    {
        var table = new ConnectionTable(new ConnectionTableOptions { Capacity = 1 << 16, Ways = 8 });
        for (int n = 0; n < 100; n++)
            table.Set(TestFlows.Key(n), TestFlows.Backend(1), IpVersion.V4, Now);
        var request = new PurgeRequest(TestFlows.Backend(1), IpVersion.V4);
        Assert.True(table.Requests.TryPost(request));
        table.ServeRequests(); // begins: the first slice only
        Assert.False(request.Done);
        Assert.True(table.PurgeMoves(TestFlows.Backend(1), IpVersion.V4, 0));
        Assert.False(table.PurgeMoves(TestFlows.Backend(2), IpVersion.V4, 0));

        // What the stage does with a packet of a covered connection: forget it, remember the Maglev choice.
        int moved = 0;
        for (int n = 0; n < 100; n++)
        {
            if (table.TryGet(TestFlows.Key(n), Now, out WireAddress backend, out IpVersion version, out ushort port) && table.PurgeMoves(backend, version, port))
            {
                table.Forget(TestFlows.Key(n));
                table.Set(TestFlows.Key(n), TestFlows.Backend(2), IpVersion.V4, Now);
                moved++;
            }
        }
        ServeUntilDone(table, request);
        Assert.True(request.Done);
        Assert.Equal(100, request.Removed);
        Assert.InRange(moved, 1, 99); // some met by packets first, the rest by the scan
        Assert.Equal(moved, table.Count); // only the moved ones are remembered again, on their new backend
        Assert.False(table.PurgeMoves(TestFlows.Backend(1), IpVersion.V4, 0)); // over
    }

    [Fact]
    public void A_purge_beside_a_worker_setting_and_looking_up_never_corrupts_the_table()
    {
        // The worker thread owns the table: it sets, looks up, sweeps and serves requests; this thread only posts
        // purges and waits for them, as the control plane does. Afterwards the table is whole: Count equals the
        // slots in use, and no entry of a purged backend set before its purge began survives.
        var table = new ConnectionTable(new ConnectionTableOptions { Capacity = 1 << 12, Ways = 8 });
        using var stop = new CancellationTokenSource();
        long operations = 0;
        var worker = new Thread(() =>
        {
            uint now = Now;
            var random = new Random(1);
            while (!stop.IsCancellationRequested)
            {
                for (int i = 0; i < 64; i++)
                {
                    FlowKey key = TestFlows.Key(random.Next(20_000));
                    if (table.TryGet(key, now, out WireAddress backend, out IpVersion version, out ushort port) && table.PurgeMoves(backend, version, port))
                        table.Forget(key);
                    table.Set(key, TestFlows.Backend(random.Next(4)), IpVersion.V4, now);
                    operations++;
                }
                table.Sweep(now, 4);
                table.ServeRequests();
                now++;
            }
        }) { IsBackground = true };
        worker.Start();
        try
        {
            for (int round = 0; round < 20; round++)
            {
                var request = new PurgeRequest(TestFlows.Backend(round % 4), IpVersion.V4);
                Assert.True(table.Requests.TryPost(request));
                var clock = System.Diagnostics.Stopwatch.StartNew();
                while (!request.Done)
                {
                    Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "the worker did not finish a purge");
                    Thread.Sleep(1);
                }
                Assert.True(request.Removed >= 0);
            }
        }
        finally
        {
            stop.Cancel();
            Assert.True(worker.Join(TimeSpan.FromSeconds(30)));
        }
        Assert.True(operations > 0);
        Assert.Equal(SlotsInUse(table), table.Count);
        Assert.InRange(table.Count, 0, table.Capacity);
    }

    private static long SlotsInUse(ConnectionTable table)
    {
        long used = 0;
        for (int bucket = 0; bucket < table.BucketCount; bucket++)
        {
            for (int way = 0; way < table.Ways; way++)
                used += table.TagAt(bucket, way) != 0 ? 1 : 0;
        }
        return used;
    }
}
