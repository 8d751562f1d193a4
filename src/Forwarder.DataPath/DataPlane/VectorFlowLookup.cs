using System.Runtime.CompilerServices;
using Forwarder.Hashing;
using Forwarder.Maglev;

namespace Forwarder.DataPlane;

/// <summary>The production lookup path: hashes and ring indices with the widest vectors the machine accelerates.</summary>
public readonly struct VectorFlowLookup : IFlowLookupPath
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Hash(ReadOnlySpan<uint> sourceWords, ReadOnlySpan<uint> ports, ReadOnlySpan<uint> seeds, Span<uint> hashes) =>
        FlowHashBatch.Hash(sourceWords, ports, seeds, hashes);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Index(in RingIndexer indexer, ReadOnlySpan<uint> hashes, Span<int> ringIndices) =>
        indexer.IndexBatch(hashes, ringIndices);
}
