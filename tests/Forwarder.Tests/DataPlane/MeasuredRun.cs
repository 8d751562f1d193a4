using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Runtime.Versioning;
using Forwarder.DataPlane;

namespace Forwarder.Tests.DataPlane;

/// <summary>Helpers of the allocation tests that drive a real <see cref="Worker{TProcessor, TKernel}"/> over a <see cref="SimulatedQueue"/>.</summary>
[SupportedOSPlatform("linux")]
internal static class MeasuredRun
{
    /// <summary>Feeds the queue and runs the worker until <paramref name="packets"/> more were received; bounded in iterations and time.</summary>
    public static void Pump<TProcessor>(SimulatedQueue queue, Worker<TProcessor, SimulatedKernel> worker, long packets)
        where TProcessor : struct, IBatchProcessor
    {
        long target = queue.Received + packets;
        long deadline = Stopwatch.GetTimestamp() + 30 * Stopwatch.Frequency;
        for (int iteration = 0; queue.Received < target && iteration < 2_000_000 && Stopwatch.GetTimestamp() < deadline; iteration++)
        {
            queue.Receive(iteration % 97);
            worker.RunOnce();
        }
        if (queue.Received < target)
            throw new TimeoutException($"only {queue.Received} packets received");
    }

    /// <summary>Runs the measurement on a thread of its own, so nothing of the test runner's is counted.</summary>
    public static long OnOwnThread(Func<long> measure, string name = "allocation-test")
    {
        long result = -1;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try { result = measure(); }
            catch (Exception e) { failure = e; }
        }) { IsBackground = true, Name = name };
        thread.Start();
        Assert.True(thread.Join(TimeSpan.FromSeconds(60)), "the measured loop did not finish");
        if (failure is not null)
            ExceptionDispatchInfo.Throw(failure);
        return result;
    }
}
