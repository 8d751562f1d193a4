using Forwarder.Packets;

namespace Forwarder.DataPlane;

/// <summary>
/// The benchmarking stage behind <c>forwarder run --receive-only</c>, wrapped around the real processor: every
/// batch is processed as usual (parse, classify, hash, Maglev, rewrite), then every transmit verdict becomes
/// <see cref="DropReason.ReceiveOnly"/>. Frames the inner processor dropped keep their own reason. The worker
/// then sends nothing and gives every frame of the batch straight back to FILL, so the loop measures the
/// receive side alone. Not for production: the host composes it only when the switch is given.
/// </summary>
public struct ReceiveOnlyProcessor<TProcessor>(TProcessor inner) : IBatchProcessor
    where TProcessor : struct, IBatchProcessor
{
    private TProcessor _inner = inner;

    public void Process(PacketBatch batch)
    {
        _inner.Process(batch);
        DropReason[] verdicts = batch.Verdict;
        int count = batch.Count;
        for (int i = 0; i < count; i++)
        {
            if (verdicts[i] == DropReason.None)
                verdicts[i] = DropReason.ReceiveOnly;
        }
    }
}
