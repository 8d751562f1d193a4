using System.Runtime.Versioning;
using BenchmarkDotNet.Attributes;
using Forwarder.FlowTable;
using Forwarder.Packets;

namespace Forwarder.Benchmarks.FlowTable;

/// <summary>
/// New connections: a lookup that misses, then Set, for 64 keys per invocation in a default-size table
/// (2^20 entries) that starts each iteration half full; times are per key. Each iteration inserts
/// 65,536 keys (half full grows to 56 %) and the setup before the next removes them, unmeasured.
/// Iterations are short (~10 ms), so there are more of them than a short job has.
/// </summary>
[MemoryDiagnoser]
[SupportedOSPlatform("linux")]
[InvocationCount(Invocations)]
[WarmupCount(5)]
[IterationCount(20)]
public class ConnectionTableInsertBenchmarks
{
    private const int BatchSize = BenchmarkFlows.BatchSize;
    private const int Invocations = 1024;

    private readonly WireAddress _backend = WireAddress.FromBytes([10, 1, 0, 2]);
    private ConnectionTable _table = null!;
    private FlowKey[] _fresh = [];
    private int _cursor;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        var used = new HashSet<FlowKey>();
        _table = new ConnectionTable(ConnectionTableOptions.Default);
        BenchmarkFlows.FillHalf(_table, random, used);
        _fresh = BenchmarkFlows.RandomKeys(Invocations * BatchSize, random, used);
    }

    [IterationSetup]
    public void ForgetTheLastIteration()
    {
        foreach (FlowKey key in _fresh)
            _table.Remove(key);
        _cursor = 0;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = BatchSize)]
    public int MissThenSet()
    {
        ReadOnlySpan<FlowKey> keys = NextBatch();
        int hits = 0;
        foreach (ref readonly FlowKey key in keys)
        {
            if (_table.TryGet(key, BenchmarkFlows.Now, out _, out _))
                hits++;
            else
                _table.Set(key, _backend, IpVersion.V4, BenchmarkFlows.Now);
        }
        return hits;
    }

    /// <summary>The same, with the batch prepared by <see cref="ConnectionTable.Prefetch(ReadOnlySpan{FlowKey})"/> first.</summary>
    [Benchmark(OperationsPerInvoke = BatchSize)]
    public int MissThenSetPrefetched()
    {
        ReadOnlySpan<FlowKey> keys = NextBatch();
        _table.Prefetch(keys);
        int hits = 0;
        foreach (ref readonly FlowKey key in keys)
        {
            if (_table.TryGet(key, BenchmarkFlows.Now, out _, out _))
                hits++;
            else
                _table.Set(key, _backend, IpVersion.V4, BenchmarkFlows.Now);
        }
        return hits;
    }

    private ReadOnlySpan<FlowKey> NextBatch()
    {
        int start = _cursor;
        _cursor = (start + BatchSize) % _fresh.Length;
        return _fresh.AsSpan(start, BatchSize);
    }
}
