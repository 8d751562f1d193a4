namespace Forwarder.Metrics;

/// <summary>
/// One queue's kernel AF_XDP counters as reports print them (the FINAL line, <c>forwarder stats --json</c>),
/// named as in <c>struct xdp_statistics</c>.
/// </summary>
public sealed record XskTotals(ulong RxDropped, ulong RxInvalidDescs, ulong TxInvalidDescs, ulong RxRingFull,
    ulong RxFillRingEmptyDescs, ulong TxRingEmptyDescs, long ReadFailures)
{
    public static XskTotals Of(XskSocketReading s) =>
        new(s.RxDropped, s.RxInvalidDescriptors, s.TxInvalidDescriptors, s.RxRingFull, s.RxFillRingEmptyDescriptors, s.TxRingEmptyDescriptors, s.ReadFailures);
}
