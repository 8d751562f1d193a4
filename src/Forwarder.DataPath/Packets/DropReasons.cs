namespace Forwarder.Packets;

/// <summary>The drop reasons as counters and metrics name them.</summary>
public static class DropReasons
{
    /// <summary>Number of reasons, <see cref="DropReason.None"/> included: the size of per-reason counter arrays.</summary>
    public static readonly int Count = Enum.GetValues<DropReason>().Length;

    /// <summary>The metric-style name of a reason, e.g. <c>tx_ring_full</c>.</summary>
    public static string Name(DropReason reason) => reason switch
    {
        DropReason.None => "none",
        DropReason.FrameTooShort => "frame_too_short",
        DropReason.TxRingFull => "tx_ring_full",
        DropReason.Truncated => "truncated",
        DropReason.UnsupportedL3 => "unsupported_l3",
        DropReason.BadIpHeader => "bad_ip_header",
        DropReason.IpFragment => "ip_fragment",
        DropReason.UnsupportedL4 => "unsupported_l4",
        DropReason.BadL4Header => "bad_l4_header",
        DropReason.IcmpUnsupported => "icmp_unsupported",
        DropReason.UnknownVip => "unknown_vip",
        DropReason.NoBackend => "no_backend",
        DropReason.PacketTooBig => "packet_too_big",
        DropReason.NoHeadroom => "no_headroom",
        DropReason.EchoNotForVip => "echo_not_for_vip",
        DropReason.ReceiveOnly => "receive_only",
        DropReason.ToHost => "to_host",
        DropReason.SourceNotAllowed => "source_not_allowed",
        _ => reason.ToString().ToLowerInvariant(),
    };
}
