using AfXdp;
using Forwarder.DataPlane;

namespace Forwarder.Hosting;

/// <summary>One queue's part of an upgrade: its worker stops at a batch boundary and gives its state, or takes one.</summary>
public sealed partial class QueueWorker
{
    private IHandOverLoop HandOverLoop => (IHandOverLoop)_worker;

    /// <summary>Tells the worker to stop at its next batch boundary, without waiting (<see cref="StopWorker"/> waits).</summary>
    public void RequestStop() => _worker.Stop();

    /// <summary>The stopped worker's free frames and counters (<see cref="StopWorker"/> first).</summary>
    public QueueHandOver ReadHandOver() => new(HandOverLoop.CopyFreeFrames(), WorkerCounterValues.Read(Counters));

    /// <summary>Starts the stopped worker again, where it was (an upgrade that was rolled back).</summary>
    public void Resume(string interfaceName)
    {
        HandOverLoop.Resume();
        Start(interfaceName);
    }

    /// <summary>
    /// For an upgrade's successor: compiles the worker's code and starts its thread, pinned to its core. It sleeps until
    /// <paramref name="gate"/> says the hand-over is near (armed), then keeps its core with yields (a thread woken on a
    /// busy machine can wait long for its core) until it may run (after <see cref="TakeOver"/>).
    /// </summary>
    public void StartAwaitingHandOver(string interfaceName, HandOverGate gate)
    {
        HotPathWarmUp.Prepare(_worker.GetType());
        _thread = new Thread(() =>
        {
            try
            {
                CpuAffinity.PinCurrentThread(Assignment.Core);
                if (gate.WaitUntilOpen())
                    _worker.Run();
            }
            catch (Exception e)
            {
                Failure = e;
            }
        })
        {
            Name = $"xdp {interfaceName} q{Assignment.Queue}",
            IsBackground = true,
        };
        _thread.Start();
    }

    /// <summary>Takes the predecessor's free frames (see <see cref="IHandOverLoop.TakeOver"/>) and counters; the worker is started after.</summary>
    public void TakeOver(QueueHandOver state)
    {
        WorkerCounterValues.Write(state.Counters, Counters);
        HandOverLoop.TakeOver(state.FreeFrames);
    }
}
