using System.Diagnostics;
using System.Runtime.Versioning;
using Forwarder.DataPlane;

namespace Forwarder.Tests.DataPlane;

/// <summary>The real worker with the real L2 rewrite, on a simulated queue.</summary>
[SupportedOSPlatform("linux")]
public static class SimulatedWorker
{
    public static Worker<L2Forward, SimulatedKernel> Create(SimulatedQueue queue, int batchSize) => new(
        queue.Rings,
        new L2Forward(TestPacket.NextHopMac, TestPacket.OwnMac),
        queue.Kernel,
        new WorkerOptions { BatchSize = batchSize, IdleSleepMs = 0 });

    /// <summary>
    /// Runs the loop with the NIC receiving nothing more and sending everything, until every frame is
    /// back in FILL or with the worker, checking conservation after each iteration.
    /// </summary>
    public static void Drain<TProcessor>(SimulatedQueue queue, Worker<TProcessor, SimulatedKernel> worker, int maxIterations = 10_000)
        where TProcessor : struct, IBatchProcessor
    {
        long deadline = Stopwatch.GetTimestamp() + 10 * Stopwatch.Frequency;
        FrameLedger ledger = queue.Ledger;
        for (int i = 0; i < maxIterations && Stopwatch.GetTimestamp() < deadline; i++)
        {
            worker.RunOnce();
            queue.TransmitAll();
            queue.CheckConservation(worker.FreeFrames);
            if (ledger.Count(FramePlace.Fill) + ledger.Count(FramePlace.Worker) == ledger.FrameCount)
                return;
        }
        throw new FrameAccountingException(
            $"not drained: RX {ledger.Count(FramePlace.Rx)}, TX {ledger.Count(FramePlace.Tx)}, COMPLETION {ledger.Count(FramePlace.Completion)}");
    }
}
