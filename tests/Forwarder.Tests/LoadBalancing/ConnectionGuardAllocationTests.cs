using System.Runtime.Versioning;
using Forwarder.FlowTable;
using Forwarder.Packets;
using Forwarder.Tests.DataPlane;

namespace Forwarder.Tests.LoadBalancing;

/// <summary>
/// The connection table's guards allocate nothing on the data path: a stage with a table that refuses most new
/// entries (the per-second limit), a VIP that bypasses it, and a purge carried out in slices, over a million packets.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class ConnectionGuardAllocationTests
{
    private const long Packets = 1_000_000;

    [Fact]
    public void The_stage_with_every_guard_on_allocates_nothing()
    {
        string yaml = LoadBalancerConfigs.All.Replace("    mode: nat\n", "    mode: nat\n    flow_table: bypass\n", StringComparison.Ordinal);
        Assert.Contains("flow_table: bypass", yaml, StringComparison.Ordinal);
        ConnectionTable table = new(new ConnectionTableOptions { Capacity = 1 << 16, Ways = 8, MaxNewPerSecond = 1000 });
        long allocated = MeasuredRun.OnOwnThread(() =>
        {
            byte[][] frames = RandomFlows.Frames(seed: 12, count: LoadBalancerBed.BatchSize * 64);
            using var bed = new LoadBalancerBed(yaml, connections: table);
            LoadBalancerAllocationTests.Pump(bed, frames, Packets / 10); // JIT and tiering happen here
            var purge = new PurgeRequest(WireAddress.FromIPAddress(System.Net.IPAddress.Parse("10.0.0.2")), IpVersion.V4);
            if (!table.Requests.TryPost(purge))
                throw new InvalidOperationException("the table took no purge");
            var upkeep = new Forwarder.DataPlane.ConnectionTableUpkeep(table);
            long before = GC.GetAllocatedBytesForCurrentThread();
            upkeep.WhileIdle();
            LoadBalancerAllocationTests.Pump(bed, frames, Packets);
            long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            if (!purge.Done)
                throw new InvalidOperationException("the purge did not finish");
            return bytes;
        });
        Assert.Equal(0, allocated);
        Assert.True(table.NewEntries.Refused > 0, "the limit never refused: the test measured no refusal");
        Assert.True(table.SynMisses + table.NonSynMisses > 0);
    }
}
