using System.Runtime.Versioning;
using BenchmarkDotNet.Attributes;
using Forwarder.Maglev;

namespace Forwarder.Benchmarks.Maglev;

/// <summary>Backend lookup for one RX batch of 64 flow hashes in a 65,537-slot table; times are per packet.</summary>
[MemoryDiagnoser]
[SupportedOSPlatform("linux")]
public class MaglevLookupBenchmarks
{
    private const int BatchSize = 64;

    private readonly uint[] _hashes = new uint[BatchSize];
    private readonly int[] _backendIds = new int[BatchSize];
    private MaglevTable _table = null!;

    [GlobalSetup]
    public void Setup()
    {
        var endpoints = Enumerable.Range(0, 100)
            .Select(i => new MaglevEndpoint(i, 1, (ulong)i * 0x9e3779b97f4a7c15))
            .ToArray();
        _table = MaglevBuilder.Build(endpoints) ?? throw new InvalidOperationException("No table.");
        var random = new Random(42);
        for (int i = 0; i < BatchSize; i++)
        {
            _hashes[i] = (uint)random.NextInt64(0, 1L << 32);
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = BatchSize)]
    public void Scalar() => _table.LookupBatchScalar(_hashes, _backendIds);

    /// <summary>What a worker calls: the fastest path the machine supports.</summary>
    [Benchmark(OperationsPerInvoke = BatchSize)]
    public void Batch() => _table.LookupBatch(_hashes, _backendIds);

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public void VectorIndexThenLoads() => _table.LookupBatchVector256(_hashes, _backendIds);

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public void VectorIndexThenGather() => _table.LookupBatchGather(_hashes, _backendIds);

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public void RingIndexScalar() => _table.Indexer.IndexBatchScalar(_hashes, _backendIds);

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public void RingIndexVector256() => _table.Indexer.IndexBatchVector256(_hashes, _backendIds);
}
