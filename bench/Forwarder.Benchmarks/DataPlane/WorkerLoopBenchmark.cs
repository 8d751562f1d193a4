using BenchmarkDotNet.Attributes;
using Forwarder.DataPlane;

namespace Forwarder.Benchmarks.DataPlane;

/// <summary>
/// Iterations of the worker loop (complete TX, refill, peek RX, L2 rewrite, TX, release) over a
/// loopback queue, reported per packet: every invocation carries <see cref="PacketsPerInvoke"/> packets,
/// in batches of <see cref="Batch"/> (one loop iteration per batch). The allocation column must read 0 B.
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

    /// <summary>Packets per invocation: a multiple of every <see cref="Batch"/>, so each figure is per packet.</summary>
    private const int PacketsPerInvoke = 256;

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

    [Benchmark(OperationsPerInvoke = PacketsPerInvoke)]
    public int RunOnce()
    {
        int received = 0;
        for (int sent = 0; sent < PacketsPerInvoke; sent += Batch)
        {
            _queue.Receive((uint)Batch);
            received += _worker.RunOnce();
            _queue.TransmitAll();
        }
        return received;
    }

    [Benchmark(OperationsPerInvoke = PacketsPerInvoke)]
    public int RunOnceCaptureOff()
    {
        int received = 0;
        for (int sent = 0; sent < PacketsPerInvoke; sent += Batch)
        {
            _offQueue.Receive((uint)Batch);
            received += _off.RunOnce();
            _offQueue.TransmitAll();
        }
        return received;
    }

    [Benchmark(OperationsPerInvoke = PacketsPerInvoke)]
    public int RunOnceCaptureOn()
    {
        int received = 0;
        for (int sent = 0; sent < PacketsPerInvoke; sent += Batch)
        {
            _onQueue.Receive((uint)Batch);
            received += _on.RunOnce();
            _onQueue.TransmitAll();
            while (_tap.Ring.TryTake(static (int _, in CaptureRecord _, ReadOnlySpan<byte> _, ReadOnlySpan<byte> _) => { }, 0))
            {
            }
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
