using System.Diagnostics;
using System.Runtime.Versioning;
using Forwarder.FlowTable;
using Forwarder.Packets;

namespace Forwarder.Tests.FlowTable;

/// <summary>
/// <see cref="ConnectionTable.Peek"/>: what another thread reads of the table — the entry, its idle time and
/// whether it is alive — changes nothing in it, and never returns a torn entry while the owner writes.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class ConnectionTablePeekTests
{
    private const uint Start = 1000;

    [Fact]
    public void A_set_key_is_found_with_its_backend_port_and_idle_time_and_nothing_changes()
    {
        ConnectionTable table = TestFlows.SmallTable();
        table.Set(TestFlows.Key(1), TestFlows.Backend(7), IpVersion.V4, 8080, Start);
        (long count, long hits, long misses) = (table.Count, table.Hits, table.Misses);

        Assert.Equal(PeekOutcome.Found, table.Peek(TestFlows.Key(1), Start + 1500, out ConnectionPeek peek));
        Assert.Equal(new ConnectionPeek(TestFlows.Backend(7), IpVersion.V4, 8080, TimeSpan.FromMilliseconds(1500), Alive: true), peek);
        Assert.Equal(PeekOutcome.Absent, table.Peek(TestFlows.Key(2), Start, out _));
        Assert.Equal((count, hits, misses), (table.Count, table.Hits, table.Misses));
        Assert.True(table.TryGet(TestFlows.Key(1), Start + 1600, out _, out _)); // the peek did not refresh nor remove it
    }

    [Fact]
    public void An_entry_past_its_idle_timeout_is_found_dead_and_stays_until_the_owner_looks()
    {
        ConnectionTable table = new(new ConnectionTableOptions { Capacity = 64, Ways = 4, UdpIdleTimeout = TimeSpan.FromSeconds(2) });
        table.Set(TestFlows.Key(1, IpProtocol.Udp), TestFlows.Backend(3), IpVersion.V4, Start);

        Assert.Equal(PeekOutcome.Found, table.Peek(TestFlows.Key(1, IpProtocol.Udp), Start + 2001, out ConnectionPeek peek));
        Assert.False(peek.Alive);
        Assert.Equal(1, table.Count);
    }

    [Fact]
    public void A_stamp_newer_than_the_reader_s_clock_reads_as_just_seen()
    {
        ConnectionTable table = TestFlows.SmallTable();
        table.Set(TestFlows.Key(1), TestFlows.Backend(7), IpVersion.V4, Start + 5);

        Assert.Equal(PeekOutcome.Found, table.Peek(TestFlows.Key(1), Start, out ConnectionPeek peek));
        Assert.Equal((TimeSpan.Zero, true), (peek.Idle, peek.Alive));
    }

    [Fact]
    public void Readings_beside_a_writing_owner_are_whole_entries_or_unsettled_never_torn()
    {
        // Eight keys share a four-way bucket: the owner keeps overwriting entries and evicting keys, and gives key k
        // backend 2k or 2k + 1 with the port 1000 + that number, so a reading mixing two writes shows.
        ConnectionTable table = TestFlows.SmallTable(capacity: 16, ways: 4);
        FlowKey[] keys = TestFlows.SameBucket(table, 8);
        using var stop = new CancellationTokenSource();
        var owner = new Thread(() =>
        {
            for (uint i = 0; !stop.IsCancellationRequested; i++)
            {
                int k = (int)(i % 8);
                int backend = 2 * k + (int)((i / 8) & 1);
                table.Set(keys[k], TestFlows.Backend(backend), IpVersion.V4, (ushort)(1000 + backend), Start + i);
            }
        }) { IsBackground = true };
        owner.Start();

        int found = 0, torn = 0;
        var clock = Stopwatch.StartNew();
        try
        {
            for (int n = 0; n < 2_000_000 && clock.Elapsed < TimeSpan.FromSeconds(3); n++)
            {
                int k = n % 8;
                if (table.Peek(keys[k], Start, out ConnectionPeek peek) != PeekOutcome.Found)
                    continue;
                found++;
                int backend = peek.Port - 1000;
                if (backend / 2 != k || peek.Backend != TestFlows.Backend(backend) || peek.Version != IpVersion.V4)
                    torn++;
            }
        }
        finally
        {
            stop.Cancel();
            owner.Join(TimeSpan.FromSeconds(5));
        }

        Assert.Equal(0, torn);
        Assert.True(found > 100, $"only {found} readings found their key");
    }
}
