using AfXdp;

namespace TrafficGen.Sink;

/// <summary>The per-CPU <c>counters</c> map of bpf/xdp_drop.c and bpf/xdp_tx.c: slot 0 frames, slot 1 bytes.</summary>
public sealed class SinkCounters(BpfMap map)
{
    private const uint PacketsSlot = 0;
    private const uint BytesSlot = 1;

    public ulong Packets => map.SumPerCpu(PacketsSlot);

    public ulong Bytes => map.SumPerCpu(BytesSlot);
}
