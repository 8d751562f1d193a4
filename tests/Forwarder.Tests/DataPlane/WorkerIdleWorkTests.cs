using System.Runtime.Versioning;
using Forwarder.DataPlane;
using Forwarder.FlowTable;
using Forwarder.Packets;
using Forwarder.Tests.FlowTable;

namespace Forwarder.Tests.DataPlane;

/// <summary>
/// <see cref="WorkerOptions.IdleWork"/>: a worker that receives nothing still serves its connection table's requests,
/// so a purge posted to an idle queue is answered; a busy worker does no idle work.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class WorkerIdleWorkTests
{
    [Fact]
    public void An_idle_worker_carries_out_a_purge_posted_to_its_table()
    {
        var table = new ConnectionTable(new ConnectionTableOptions { Capacity = 1 << 14, Ways = 8 });
        for (int n = 0; n < 50; n++)
            table.Set(TestFlows.Key(n), TestFlows.Backend(n % 2), IpVersion.V4, 1000);
        using var queue = new SimulatedQueue();
        var worker = new Worker<L2Forward, SimulatedKernel>(queue.Rings, new L2Forward(TestPacket.NextHopMac, TestPacket.OwnMac), queue.Kernel,
            new WorkerOptions { BatchSize = 64, IdleSleepMs = 0, IdleWork = new ConnectionTableUpkeep(table) });
        var purge = new PurgeRequest(TestFlows.Backend(1), IpVersion.V4);
        Assert.True(table.Requests.TryPost(purge));

        for (int poll = 0; poll < 100 && !purge.Done; poll++)
            Assert.Equal(0, worker.RunOnce()); // nothing received: idle polls only

        Assert.True(purge.Done);
        Assert.Equal(25, purge.Removed);
        Assert.Equal(25, table.Count);
        Assert.True(worker.Counters.EmptyPolls > 0);
    }

    private sealed class CountingWork : IIdleWork
    {
        public int Calls;

        public void WhileIdle() => Calls++;
    }

    [Fact]
    public void Idle_work_runs_at_empty_polls_only()
    {
        using var queue = new SimulatedQueue();
        var work = new CountingWork();
        var worker = new Worker<L2Forward, SimulatedKernel>(queue.Rings, new L2Forward(TestPacket.NextHopMac, TestPacket.OwnMac), queue.Kernel,
            new WorkerOptions { BatchSize = 64, IdleSleepMs = 0, IdleWork = work });
        queue.Receive(32);
        Assert.Equal(32, worker.RunOnce());
        Assert.Equal(0, work.Calls);
        Assert.Equal(0, worker.RunOnce());
        Assert.Equal(1, work.Calls);
    }
}
