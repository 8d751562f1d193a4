using System.Runtime.CompilerServices;
using Forwarder.Hashing;
using Forwarder.Maglev;

namespace Forwarder.DataPlane;

/// <summary>
/// The reference lookup path: one flow at a time (<see cref="FlowHashBatch.HashScalar"/>, the <c>%</c> operator).
/// Tests and benchmarks compare it with <see cref="VectorFlowLookup"/>; no worker runs it.
/// </summary>
public readonly struct ScalarFlowLookup : IFlowLookupPath
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Hash(ReadOnlySpan<uint> sourceWords, ReadOnlySpan<uint> ports, ReadOnlySpan<uint> seeds, Span<uint> hashes) =>
        FlowHashBatch.HashScalar(sourceWords, ports, seeds, hashes);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Index(in RingIndexer indexer, ReadOnlySpan<uint> hashes, Span<int> ringIndices) =>
        indexer.IndexBatchScalar(hashes, ringIndices);
}
