using System.Diagnostics;
using Forwarder.Liveness;
using Microsoft.Extensions.Logging;

namespace Forwarder.Hosting;

/// <summary>
/// The watchdog's round: every <see cref="Interval"/> on a thread of its own, reads every worker's progress and
/// RX ring (<see cref="QueueWorker.ReadProgress"/>) and hands them to the <see cref="LivenessController"/>, which
/// withdraws while a worker is stalled. Stopped before the queues' sockets close.
/// </summary>
public sealed class LivenessMonitor : IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    private readonly IReadOnlyList<QueueWorker> _queues;
    private readonly LivenessController _controller;
    private readonly ILogger _log;
    private readonly ManualResetEventSlim _stop = new();
    private readonly Thread _thread;

    private LivenessMonitor(IReadOnlyList<QueueWorker> queues, LivenessController controller, ILogger log)
    {
        _log = log;
        _queues = queues;
        _controller = controller;
        _thread = new Thread(Run) { Name = "liveness watchdog", IsBackground = true };
    }

    public static LivenessMonitor Start(IReadOnlyList<QueueWorker> queues, LivenessController controller, ILogger log)
    {
        var monitor = new LivenessMonitor(queues, controller, log);
        monitor._thread.Start();
        return monitor;
    }

    private void Run()
    {
        var readings = new WorkerProgress[_queues.Count];
        while (!_stop.Wait(Interval))
        {
            for (int i = 0; i < readings.Length; i++)
                readings[i] = _queues[i].ReadProgress();
            try
            {
                _controller.Watch(readings);
            }
            catch (Exception e) // a fault of this thread would end the process: logged, and the next round tries again
            {
                _log.WatchdogRoundFailed(e.Message);
            }
        }
    }

    /// <summary>Stops the rounds and waits for the thread; a second call does nothing.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        _stop.Set();
        _thread.Join(TimeSpan.FromSeconds(5));
    }

    private int _disposed;

    /// <summary>Monotonic time for the controller.</summary>
    public static Func<TimeSpan> Clock()
    {
        long start = Stopwatch.GetTimestamp();
        return () => Stopwatch.GetElapsedTime(start);
    }
}
