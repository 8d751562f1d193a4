using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Runtime.Versioning;
using Forwarder.DataPlane;

namespace Forwarder.Tests.DataPlane;

/// <summary>The hot loop allocates nothing: a million packets through the worker leave the thread's allocation count unchanged.</summary>
[SupportedOSPlatform("linux")]
public sealed class WorkerAllocationTests
{
    private const long WarmUpPackets = 200_000;
    private const long MeasuredPackets = 1_000_000;

    [Fact]
    public void The_worker_loop_allocates_nothing_over_a_million_packets()
    {
        var measurement = new Measurement();
        // A thread of our own, so nothing of the test runner's runs on it while the bytes are counted.
        var thread = new Thread(measurement.Run) { Name = "worker-allocation-test", IsBackground = true };
        thread.Start();
        Assert.True(thread.Join(TimeSpan.FromSeconds(30)), "the measured loop did not finish");
        if (measurement.Failure is not null)
            ExceptionDispatchInfo.Throw(measurement.Failure);

        Assert.True(measurement.Packets >= MeasuredPackets, $"only {measurement.Packets} packets measured");
        Assert.Equal(0, measurement.AllocatedBytes);
    }

    private sealed class Measurement
    {
        public long AllocatedBytes = -1;
        public long Packets;
        public Exception? Failure;

        public void Run()
        {
            try
            {
                using var queue = new SimulatedQueue(initialIndex: uint.MaxValue - 1000) { ShortFrameEvery = 97 };
                var worker = SimulatedWorker.Create(queue, 64);
                Pump(queue, worker, WarmUpPackets); // JIT, tiering and first-touch work happen here

                long start = queue.Received;
                long before = GC.GetAllocatedBytesForCurrentThread();
                Pump(queue, worker, start + MeasuredPackets);
                long after = GC.GetAllocatedBytesForCurrentThread();

                AllocatedBytes = after - before;
                Packets = queue.Received - start;
                SimulatedWorker.Drain(queue, worker);
                WorkerCounters counters = worker.Counters;
                if (counters.RxPackets != counters.TxPackets + counters.TotalDrops || counters.TxPackets != queue.Transmitted)
                    throw new FrameAccountingException("the measured run lost packets");
            }
            catch (Exception e)
            {
                Failure = e;
            }
        }

        /// <summary>Receive, run one iteration, repeat: bounded by iterations and time, no assertions inside.</summary>
        private static void Pump(SimulatedQueue queue, Worker<L2Forward, SimulatedKernel> worker, long receivedTarget)
        {
            long deadline = Stopwatch.GetTimestamp() + 20 * Stopwatch.Frequency;
            for (int iteration = 0; queue.Received < receivedTarget && iteration < 1_000_000 && Stopwatch.GetTimestamp() < deadline; iteration++)
            {
                queue.Receive(iteration % 97);
                worker.RunOnce();
            }
        }
    }
}
