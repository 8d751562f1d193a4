using System.Globalization;

namespace Forwarder.Metrics;

/// <summary>
/// The kernel's AF_XDP counters of every queue's socket, one family per counter (label <c>queue</c>), and the
/// readings of them that failed. Nothing when no socket is read (a test double without sockets).
/// </summary>
public static class XskMetrics
{
    /// <summary>Every family: name, help, value. The names follow <c>struct xdp_statistics</c>.</summary>
    public static readonly (string Name, string Help, Func<XskSocketReading, ulong> Read)[] Counters =
    [
        ("forwarder_xsk_rx_dropped_total", "Frames the kernel dropped for the queue's AF_XDP socket for another reason than a full ring (e.g. larger than a frame).", s => s.RxDropped),
        ("forwarder_xsk_rx_invalid_descs_total", "Invalid descriptors the kernel found on the queue's FILL ring.", s => s.RxInvalidDescriptors),
        ("forwarder_xsk_tx_invalid_descs_total", "Invalid descriptors the kernel found on the queue's TX ring.", s => s.TxInvalidDescriptors),
        ("forwarder_xsk_rx_ring_full_total", "Frames the kernel dropped because the queue's RX ring was full (the worker did not keep up).", s => s.RxRingFull),
        ("forwarder_xsk_rx_fill_ring_empty_descs_total", "Times the kernel found the queue's FILL ring empty: no frame to receive into.", s => s.RxFillRingEmptyDescriptors),
        ("forwarder_xsk_tx_ring_empty_descs_total", "Times the kernel found the queue's TX ring empty when woken to send.", s => s.TxRingEmptyDescriptors),
    ];

    public static void Write(PrometheusTextWriter writer, IReadOnlyList<XskSocketReading> sockets)
    {
        if (sockets.Count == 0)
            return;
        foreach ((string name, string help, Func<XskSocketReading, ulong> read) in Counters)
        {
            writer.Family(name, MetricType.Counter, help);
            foreach (XskSocketReading socket in sockets)
                writer.Sample(read(socket), Queue(socket));
        }
        writer.Family("forwarder_xsk_statistics_read_failures_total", MetricType.Counter,
            "Readings of the kernel's AF_XDP counters (getsockopt XDP_STATISTICS) that failed; the counters above then keep their last values.");
        foreach (XskSocketReading socket in sockets)
            writer.Sample(socket.ReadFailures, Queue(socket));
    }

    private static MetricLabel Queue(XskSocketReading socket) => new("queue", socket.Queue.ToString(CultureInfo.InvariantCulture));
}
