namespace Forwarder.DataPlane;

/// <summary>
/// Why a received frame was not transmitted. Every frame that is not forwarded is counted under
/// exactly one of these. <see cref="None"/> is the verdict "transmit".
/// </summary>
public enum DropReason : byte
{
    None = 0,
    /// <summary>Shorter than an Ethernet header.</summary>
    FrameTooShort,
    /// <summary>The TX ring had no room for the frame.</summary>
    TxRingFull,
}

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
        _ => reason.ToString().ToLowerInvariant(),
    };
}
