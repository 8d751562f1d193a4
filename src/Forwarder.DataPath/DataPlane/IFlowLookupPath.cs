using Forwarder.Maglev;

namespace Forwarder.DataPlane;

/// <summary>
/// How <see cref="LoadBalancer{TPath}"/> hashes a batch's flows and turns the hashes into Maglev ring indices.
/// Implemented by structs with static members, so the JIT compiles one load balancer per path with the
/// path's calls direct and inlinable: production runs <see cref="VectorFlowLookup"/>, tests run
/// <see cref="ScalarFlowLookup"/> beside it to prove both decide the same, bit for bit.
/// </summary>
public interface IFlowLookupPath
{
    /// <summary>Writes the flow hash of flow i into <c>hashes[i]</c> (see <see cref="Hashing.FlowHashBatch.Hash"/>).</summary>
    static abstract void Hash(ReadOnlySpan<uint> sourceWords, ReadOnlySpan<uint> ports, ReadOnlySpan<uint> seeds, Span<uint> hashes);

    /// <summary>Writes the ring index of <c>hashes[i]</c> into <c>ringIndices[i]</c> (see <see cref="RingIndexer.IndexBatch"/>).</summary>
    static abstract void Index(in RingIndexer indexer, ReadOnlySpan<uint> hashes, Span<int> ringIndices);
}
