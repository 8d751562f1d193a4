namespace Forwarder.Metrics;

/// <summary>
/// The kernel's own counters of one queue's AF_XDP socket (<c>getsockopt(XDP_STATISTICS)</c>), read by the
/// stats or metrics reader, never by the worker. <see cref="ReadFailures"/> counts readings that failed; the
/// counters then keep the last values read, so they never go back.
/// </summary>
/// <param name="RxDropped">Frames the kernel dropped for this socket for another reason than a full ring (e.g. too big for a frame).</param>
/// <param name="RxInvalidDescriptors">Invalid descriptors found on the FILL ring.</param>
/// <param name="TxInvalidDescriptors">Invalid descriptors found on the TX ring.</param>
/// <param name="RxRingFull">Frames dropped because the RX ring was full: the worker did not keep up.</param>
/// <param name="RxFillRingEmptyDescriptors">Times the kernel found the FILL ring empty: no frame to receive into.</param>
/// <param name="TxRingEmptyDescriptors">Times the kernel found the TX ring empty when asked to send.</param>
public sealed record XskSocketReading(int Queue, ulong RxDropped, ulong RxInvalidDescriptors, ulong TxInvalidDescriptors,
    ulong RxRingFull, ulong RxFillRingEmptyDescriptors, ulong TxRingEmptyDescriptors, long ReadFailures);
