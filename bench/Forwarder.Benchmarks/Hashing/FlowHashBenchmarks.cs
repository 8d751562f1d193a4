using System.Runtime.Versioning;
using BenchmarkDotNet.Attributes;
using Forwarder.Hashing;
using Forwarder.Maglev;

namespace Forwarder.Benchmarks.Hashing;

/// <summary>The Katran flow hash over one RX batch of 64 flows; times are per packet.</summary>
[MemoryDiagnoser]
[SupportedOSPlatform("linux")]
public class FlowHashBenchmarks
{
    private const int BatchSize = 64;

    private readonly FlowKeyBatch _batch = new(BatchSize) { Count = BatchSize };
    private readonly byte[][] _ipv6Sources = new byte[BatchSize][];
    private readonly byte[][] _transportHeaders = new byte[BatchSize][];
    private readonly RingIndexer _indexer = new(MaglevRingSize.Default);
    private readonly int[] _ringIndices = new int[BatchSize];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        for (int i = 0; i < BatchSize; i++)
        {
            _batch.SourceWords[i] = (uint)random.NextInt64(0, 1L << 32);
            _batch.Ports[i] = (uint)random.NextInt64(0, 1L << 32);
            _ipv6Sources[i] = new byte[16];
            random.NextBytes(_ipv6Sources[i]);
            _transportHeaders[i] = new byte[4];
            random.NextBytes(_transportHeaders[i]);
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = BatchSize)]
    public void Scalar() => FlowHashBatch.HashScalar(_batch.SourceWords, _batch.Ports, _batch.Seeds, _batch.Hashes);

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public void Vector128() => FlowHashBatch.HashVector128(_batch.SourceWords, _batch.Ports, _batch.Seeds, _batch.Hashes);

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public void Vector256() => FlowHashBatch.HashVector256(_batch.SourceWords, _batch.Ports, _batch.Seeds, _batch.Hashes);

    /// <summary>What a worker calls: the widest accelerated path.</summary>
    [Benchmark(OperationsPerInvoke = BatchSize)]
    public void Batch() => _batch.ComputeHashes();

    /// <summary>Filling the batch from 64 IPv6 flows (the scalar jhash over 16 bytes) and hashing it.</summary>
    [Benchmark(OperationsPerInvoke = BatchSize)]
    public void Ipv6FillAndHash()
    {
        for (int i = 0; i < BatchSize; i++)
        {
            _batch.SetV6(i, _ipv6Sources[i], _transportHeaders[i], FlowHashOptions.None);
        }
        _batch.ComputeHashes();
    }

    /// <summary>
    /// The load-balancing stage's hash step as <c>LoadBalancer.Process</c> runs it: every flow's hash
    /// (<see cref="FlowHashBatch.Hash"/>), then its slot in a 65,537-slot ring (<see cref="RingIndexer.IndexBatch"/>).
    /// </summary>
    [Benchmark(OperationsPerInvoke = BatchSize)]
    public void HashAndRingIndex()
    {
        FlowHashBatch.Hash(_batch.SourceWords, _batch.Ports, _batch.Seeds, _batch.Hashes);
        _indexer.IndexBatch(_batch.Hashes, _ringIndices);
    }

    /// <summary>The same step on the scalar reference path (<c>ScalarFlowLookup</c>, the load balancer's reference twin).</summary>
    [Benchmark(OperationsPerInvoke = BatchSize)]
    public void HashAndRingIndexScalar()
    {
        FlowHashBatch.HashScalar(_batch.SourceWords, _batch.Ports, _batch.Seeds, _batch.Hashes);
        _indexer.IndexBatchScalar(_batch.Hashes, _ringIndices);
    }
}
