using BenchmarkDotNet.Attributes;
using Forwarder.DataPlane;

namespace Forwarder.Benchmarks.DataPlane;

/// <summary>
/// One iteration of the worker loop (complete TX, refill, peek RX, L2 rewrite, TX, release) over a
/// loopback queue, reported per packet. The allocation column must read 0 B.
/// </summary>
[MemoryDiagnoser]
public class WorkerLoopBenchmark
{
    private LoopbackQueue _queue = null!;
    private Worker<L2Forward, LoopbackKernel> _worker = null!;

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
    }

    [Benchmark(OperationsPerInvoke = 1)]
    public int RunOnce()
    {
        _queue.Receive((uint)Batch);
        int received = _worker.RunOnce();
        _queue.TransmitAll();
        return received;
    }

    [GlobalCleanup]
    public void Cleanup() => _queue.Dispose();
}
