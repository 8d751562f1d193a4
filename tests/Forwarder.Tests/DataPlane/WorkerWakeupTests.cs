using System.Runtime.Versioning;

namespace Forwarder.Tests.DataPlane;

/// <summary>The worker makes a syscall only when a ring's need-wakeup flag asks for one.</summary>
[SupportedOSPlatform("linux")]
public sealed class WorkerWakeupTests
{
    [Fact]
    public void An_idle_worker_wakes_RX_only_while_FILL_asks_for_it()
    {
        using var queue = new SimulatedQueue();
        var worker = SimulatedWorker.Create(queue, 64);

        Assert.Equal(0, worker.RunOnce());
        Assert.Equal(0, queue.RxWakeups);

        queue.FillNeedsWakeup = true;
        Assert.Equal(0, worker.RunOnce());
        Assert.Equal(0, worker.RunOnce());
        Assert.Equal(2, queue.RxWakeups);
        Assert.Equal(2, worker.Counters.RxWakeups);

        queue.FillNeedsWakeup = false;
        Assert.Equal(0, worker.RunOnce());
        Assert.Equal(2, queue.RxWakeups);
        Assert.Equal(4, worker.Counters.EmptyPolls);
    }

    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, 0)]
    public void A_batch_sent_wakes_TX_only_when_TX_asks_for_it(bool txNeedsWakeup, int expectedWakeups)
    {
        using var queue = new SimulatedQueue(txNeedsWakeup: txNeedsWakeup);
        var worker = SimulatedWorker.Create(queue, 32);

        queue.Receive(32);
        worker.RunOnce();

        Assert.Equal(expectedWakeups, queue.TxWakeups);
        Assert.Equal(expectedWakeups, worker.Counters.TxWakeups);
        Assert.Equal(txNeedsWakeup ? 0u : 32u, queue.TxPending); // a woken kernel sent the 32 within its budget
    }
}
