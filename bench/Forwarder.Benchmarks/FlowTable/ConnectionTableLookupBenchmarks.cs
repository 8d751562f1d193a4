using System.Runtime.Versioning;
using BenchmarkDotNet.Attributes;
using Forwarder.FlowTable;
using Forwarder.Packets;

namespace Forwarder.Benchmarks.FlowTable;

/// <summary>
/// Lookups in a default-size table (2^20 entries, 72 MiB, half full), 64 keys per invocation as one RX
/// batch, moving through half a million keys so that buckets come from memory as they would under
/// real traffic; times are per key. The allocation column must read 0 B.
/// </summary>
[MemoryDiagnoser]
[SupportedOSPlatform("linux")]
public class ConnectionTableLookupBenchmarks
{
    private const int BatchSize = BenchmarkFlows.BatchSize;

    private ConnectionTable _table = null!;
    private FlowKey[] _present = [];
    private FlowKey[] _absent = [];
    private WireAddress[] _clients = [];
    private uint[] _ports = [];
    private int _cursor;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        var used = new HashSet<FlowKey>();
        _table = new ConnectionTable(ConnectionTableOptions.Default);
        _present = BenchmarkFlows.FillHalf(_table, random, used);
        _present = _present.Take(_present.Length / BatchSize * BatchSize).OrderBy(_ => random.Next()).ToArray();
        _absent = BenchmarkFlows.RandomKeys(_present.Length, random, used);
        _clients = _present.Select(key => key.Client).ToArray();
        _ports = _present.Select(key => key.PortsWord).ToArray();
    }

    /// <summary>64 live connections found.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = BatchSize)]
    public int Hit()
    {
        ReadOnlySpan<FlowKey> keys = NextBatch(_present);
        int hits = 0;
        foreach (ref readonly FlowKey key in keys)
            hits += _table.TryGet(key, BenchmarkFlows.Now, out _, out _) ? 1 : 0;
        return hits;
    }

    /// <summary>The same, with every key's bucket line prefetched before the first lookup.</summary>
    [Benchmark(OperationsPerInvoke = BatchSize)]
    public int HitPrefetched()
    {
        ReadOnlySpan<FlowKey> keys = NextBatch(_present);
        foreach (ref readonly FlowKey key in keys)
            _table.Prefetch(key);
        int hits = 0;
        foreach (ref readonly FlowKey key in keys)
            hits += _table.TryGet(key, BenchmarkFlows.Now, out _, out _) ? 1 : 0;
        return hits;
    }

    /// <summary>The same, with the batch prepared by <see cref="ConnectionTable.Prefetch(ReadOnlySpan{FlowKey})"/>: bucket lines, then entry lines.</summary>
    [Benchmark(OperationsPerInvoke = BatchSize)]
    public int HitBatchPrefetched()
    {
        ReadOnlySpan<FlowKey> keys = NextBatch(_present);
        _table.Prefetch(keys);
        int hits = 0;
        foreach (ref readonly FlowKey key in keys)
            hits += _table.TryGet(key, BenchmarkFlows.Now, out _, out _) ? 1 : 0;
        return hits;
    }

    /// <summary>64 connections the table does not hold.</summary>
    [Benchmark(OperationsPerInvoke = BatchSize)]
    public int Miss()
    {
        ReadOnlySpan<FlowKey> keys = NextBatch(_absent);
        int hits = 0;
        foreach (ref readonly FlowKey key in keys)
            hits += _table.TryGet(key, BenchmarkFlows.Now, out _, out _) ? 1 : 0;
        return hits;
    }

    /// <summary>Building the key (and its hash) from a packet's fields, which every lookup needs first.</summary>
    [Benchmark(OperationsPerInvoke = BatchSize)]
    public ulong MakeKey()
    {
        int start = _cursor;
        _cursor = (start + BatchSize) % _clients.Length;
        ReadOnlySpan<WireAddress> clients = _clients.AsSpan(start, BatchSize);
        ReadOnlySpan<uint> ports = _ports.AsSpan(start, BatchSize);
        WireAddress vip = _present[0].Vip;
        ulong sum = 0;
        for (int i = 0; i < BatchSize; i++)
            sum += new FlowKey(clients[i], vip, ports[i], IpProtocol.Tcp, IpVersion.V4).Hash;
        return sum;
    }

    private ReadOnlySpan<FlowKey> NextBatch(FlowKey[] keys)
    {
        int start = _cursor;
        _cursor = (start + BatchSize) % keys.Length;
        return keys.AsSpan(start, BatchSize);
    }
}
