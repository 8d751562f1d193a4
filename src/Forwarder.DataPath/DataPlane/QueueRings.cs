using AfXdp.Rings;

namespace Forwarder.DataPlane;

/// <summary>The four rings of one queue and the UMEM they point into: everything a worker touches per packet.</summary>
public readonly unsafe struct QueueRings(
    ProducerRing<ulong> fill,
    ConsumerRing<ulong> completion,
    ConsumerRing<XdpDesc> rx,
    ProducerRing<XdpDesc> tx,
    byte* area,
    uint frameSize,
    uint frameCount)
{
    public ProducerRing<ulong> Fill { get; } = fill;
    public ConsumerRing<ulong> Completion { get; } = completion;
    public ConsumerRing<XdpDesc> Rx { get; } = rx;
    public ProducerRing<XdpDesc> Tx { get; } = tx;
    public byte* Area { get; } = area;
    public uint FrameSize { get; } = frameSize;
    public uint FrameCount { get; } = frameCount;
}
