using System.Runtime.CompilerServices;
using Forwarder.FlowTable;
using Forwarder.Packets;

namespace Forwarder.DataPlane;

/// <summary>
/// The load-balancing stage as workers run it: <see cref="LoadBalancer{TPath}"/> on the vector lookup path
/// (<see cref="VectorFlowLookup"/>). See there for what it does to a batch.
/// </summary>
public struct LoadBalancer : IBatchProcessor
{
    private LoadBalancer<VectorFlowLookup> _stage;

    /// <param name="source">The published forwarding snapshots, read once per batch.</param>
    /// <param name="workerIndex">The worker's index: which of the snapshot's per-worker counters it adds to.</param>
    /// <param name="connections">This worker's connection table; null = purely stateless.</param>
    public LoadBalancer(SnapshotSource source, int workerIndex, ConnectionTable? connections = null) =>
        _stage = new LoadBalancer<VectorFlowLookup>(source, workerIndex, connections);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Process(PacketBatch batch) => _stage.Process(batch);
}
