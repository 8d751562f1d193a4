using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Runtime.Versioning;
using Forwarder.FlowTable;
using Forwarder.Packets;

namespace Forwarder.Tests.FlowTable;

/// <summary>After construction the table allocates nothing: a million mixed operations leave the thread's allocation count unchanged.</summary>
[SupportedOSPlatform("linux")]
public sealed class ConnectionTableAllocationTests
{
    private const int WarmUpOperations = 200_000;
    private const int MeasuredOperations = 1_000_000;

    [Fact]
    public void A_million_operations_allocate_nothing()
    {
        var measurement = new Measurement();
        // A thread of our own, so nothing of the test runner's runs on it while the bytes are counted.
        var thread = new Thread(measurement.Run) { Name = "flow-table-allocation-test", IsBackground = true };
        thread.Start();
        Assert.True(thread.Join(TimeSpan.FromSeconds(60)), "the measured loop did not finish");
        if (measurement.Failure is not null)
            ExceptionDispatchInfo.Throw(measurement.Failure);

        Assert.Equal(MeasuredOperations, measurement.Operations);
        Assert.True(measurement.Table!.Evictions > 0 && measurement.Table.Expired > 0 && measurement.Table.Hits > 0,
            "the measured run missed a path");
        Assert.Equal(0, measurement.AllocatedBytes);
    }

    private sealed class Measurement
    {
        public long AllocatedBytes = -1;
        public int Operations;
        public ConnectionTable? Table;
        public Exception? Failure;

        public void Run()
        {
            try
            {
                Table = new ConnectionTable(new ConnectionTableOptions { Capacity = 1 << 12, Ways = 8 });
                FlowKey[] keys = Enumerable.Range(0, 1 << 13)
                    .Select(n => TestFlows.Key(n, n % 2 == 0 ? IpProtocol.Tcp : IpProtocol.Udp, n % 7 == 0 ? IpVersion.V6 : IpVersion.V4))
                    .ToArray();
                WireAddress[] backends = Enumerable.Range(0, 16).Select(TestFlows.Backend).ToArray();
                uint now = uint.MaxValue - 100_000;
                now = Run(Table, keys, backends, now, WarmUpOperations); // JIT, tiering and first-touch work happen here

                long before = GC.GetAllocatedBytesForCurrentThread();
                Run(Table, keys, backends, now, MeasuredOperations);
                long after = GC.GetAllocatedBytesForCurrentThread();
                AllocatedBytes = after - before;
                Operations = MeasuredOperations;
            }
            catch (Exception e)
            {
                Failure = e;
            }
        }

        /// <summary>Lookups, sets, removals, prefetches and sweeps over twice as many keys as slots, with time passing; no assertions inside.</summary>
        private static uint Run(ConnectionTable table, FlowKey[] keys, WireAddress[] backends, uint now, int operations)
        {
            long deadline = Stopwatch.GetTimestamp() + 30 * Stopwatch.Frequency;
            uint state = 12345;
            for (int i = 0; i < operations && Stopwatch.GetTimestamp() < deadline; i++)
            {
                state = state * 1664525 + 1013904223;
                ref readonly FlowKey key = ref keys[(state >> 8) & (uint)(keys.Length - 1)];
                now += (state >> 28) * 16;
                switch (state & 7)
                {
                    case 0:
                        table.Remove(key);
                        break;
                    case 1:
                        table.Prefetch(key);
                        table.Prefetch(keys.AsSpan((int)(state >> 20) & (keys.Length - 64), 64));
                        table.Sweep(now, 4);
                        break;
                    case 2 or 3 or 4:
                        table.Set(key, backends[state >> 28], IpVersion.V4, now);
                        break;
                    default:
                        table.TryGet(key, now, out _, out _);
                        break;
                }
            }
            return now;
        }
    }
}
