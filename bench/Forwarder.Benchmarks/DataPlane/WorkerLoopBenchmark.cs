using BenchmarkDotNet.Attributes;
using Forwarder.DataPlane;

namespace Forwarder.Benchmarks.DataPlane;

/// <summary>
/// One iteration of the worker loop (complete TX, refill, peek RX, L2 rewrite, TX, release) over a
/// loopback queue, reported per packet. The allocation column must read 0 B.
/// <see cref="RunOnceCaptureOff"/> is the same loop with the processor wrapped for capture
/// (<see cref="CapturingProcessor{TProcessor}"/>) and no capture running, as every worker runs it: against
/// <see cref="RunOnce"/> it shows what capture costs when off. <see cref="RunOnceCaptureOn"/> captures every frame
/// (whole, as received and as transmitted) and takes them back out of the ring as the capture writer would.
/// </summary>
[MemoryDiagnoser]
public class WorkerLoopBenchmark
{
    private LoopbackQueue _queue = null!;
    private Worker<L2Forward, LoopbackKernel> _worker = null!;
    private LoopbackQueue _offQueue = null!;
    private Worker<CapturingProcessor<L2Forward>, LoopbackKernel> _off = null!;
    private LoopbackQueue _onQueue = null!;
    private Worker<CapturingProcessor<L2Forward>, LoopbackKernel> _on = null!;
    private CaptureTap _tap = null!;

    [Params(32, 64, 256)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        byte[] packet = new byte[64];
        packet[12] = 0x08; // IPv4 ethertype
        _queue = new LoopbackQueue(frameCount: 4096, frameSize: 4096, packet);
        byte[] nextHop = [2, 0, 0, 0, 0, 1], own = [2, 0, 0, 0, 0, 2];
        _worker = new Worker<L2Forward, LoopbackKernel>(_queue.Rings, new L2Forward(nextHop, own), default,
            new WorkerOptions { BatchSize = Batch, IdleSleepMs = 0 });

        _offQueue = new LoopbackQueue(frameCount: 4096, frameSize: 4096, packet);
        _off = new Worker<CapturingProcessor<L2Forward>, LoopbackKernel>(_offQueue.Rings,
            new CapturingProcessor<L2Forward>(new L2Forward(nextHop, own), new CaptureSwitch(), 0), default,
            new WorkerOptions { BatchSize = Batch, IdleSleepMs = 0 });

        var on = new CaptureSwitch();
        _tap = new CaptureTap(new CaptureFilter(), ringSlots: 1024);
        on.TryStart([_tap]);
        _onQueue = new LoopbackQueue(frameCount: 4096, frameSize: 4096, packet);
        _on = new Worker<CapturingProcessor<L2Forward>, LoopbackKernel>(_onQueue.Rings,
            new CapturingProcessor<L2Forward>(new L2Forward(nextHop, own), on, 0), default,
            new WorkerOptions { BatchSize = Batch, IdleSleepMs = 0 });
    }

    [Benchmark(OperationsPerInvoke = 1)]
    public int RunOnce()
    {
        _queue.Receive((uint)Batch);
        int received = _worker.RunOnce();
        _queue.TransmitAll();
        return received;
    }

    [Benchmark(OperationsPerInvoke = 1)]
    public int RunOnceCaptureOff()
    {
        _offQueue.Receive((uint)Batch);
        int received = _off.RunOnce();
        _offQueue.TransmitAll();
        return received;
    }

    [Benchmark(OperationsPerInvoke = 1)]
    public int RunOnceCaptureOn()
    {
        _onQueue.Receive((uint)Batch);
        int received = _on.RunOnce();
        _onQueue.TransmitAll();
        while (_tap.Ring.TryTake(static (int _, in CaptureRecord _, ReadOnlySpan<byte> _, ReadOnlySpan<byte> _) => { }, 0))
        {
        }
        return received;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _queue.Dispose();
        _offQueue.Dispose();
        _onQueue.Dispose();
    }
}
