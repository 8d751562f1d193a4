namespace TrafficGen.Sink;

/// <summary>What the sink's XDP program does with each frame after counting it.</summary>
public enum SinkAction
{
    /// <summary>bpf/xdp_drop.c: XDP_DROP.</summary>
    Drop,

    /// <summary>bpf/xdp_tx.c: swap the MAC addresses and XDP_TX back out.</summary>
    Tx,
}
