using BenchmarkDotNet.Attributes;
using Forwarder.Maglev;

namespace Forwarder.Benchmarks.Maglev;

/// <summary>
/// <see cref="MaglevLookupBenchmarks"/> with fresh flows every batch: each invocation looks up the next
/// 64 of 65,536 random flow hashes, so the slots read are spread over the whole table, as with many
/// clients. At 65,537 slots the table (256 KiB) fits a 1 MiB L2 cache; at 655,373 (2.5 MiB) it does not.
/// Table of 100 backends; times are per packet.
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn] // on a shared machine the minimum is the steadiest figure
public class MaglevLookupRingSizeBenchmarks
{
    private const int BatchSize = 64;
    private const int PoolSize = 1 << 16;

    private readonly uint[] _hashes = new uint[PoolSize];
    private readonly int[] _backendIds = new int[BatchSize];
    private MaglevTable _table = null!;
    private int _next;

    [Params(MaglevRingSize.Default, MaglevRingSize.Large)]
    public int RingSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var endpoints = Enumerable.Range(0, 100)
            .Select(i => new MaglevEndpoint(i, 1, (ulong)i * 0x9e3779b97f4a7c15))
            .ToArray();
        _table = MaglevBuilder.Build(endpoints, MaglevVersion.V2, RingSize) ?? throw new InvalidOperationException("No table.");
        var random = new Random(42);
        for (int i = 0; i < PoolSize; i++)
            _hashes[i] = (uint)random.NextInt64(0, 1L << 32);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = BatchSize)]
    public void Scalar() => _table.LookupBatchScalar(NextBatch(), _backendIds);

    /// <summary>What a worker calls: the fastest path the machine supports.</summary>
    [Benchmark(OperationsPerInvoke = BatchSize)]
    public void Batch() => _table.LookupBatch(NextBatch(), _backendIds);

    private ReadOnlySpan<uint> NextBatch()
    {
        int start = _next;
        _next = (start + BatchSize) & (PoolSize - 1);
        return _hashes.AsSpan(start, BatchSize);
    }
}
