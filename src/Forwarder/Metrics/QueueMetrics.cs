using System.Globalization;
using Forwarder.DataPlane;
using Forwarder.Packets;

namespace Forwarder.Metrics;

/// <summary>The workers' counters, one series per queue (label <c>queue</c>); drops also by reason (label <c>reason</c>).</summary>
public static class QueueMetrics
{
    private static readonly (string Name, string Help, Func<QueueStats, long> Read)[] Counters =
    [
        ("forwarder_rx_packets_total", "Frames received from the queue's RX ring.", q => q.Rx),
        ("forwarder_rx_bytes_total", "Bytes of the frames received from the queue's RX ring.", q => q.RxBytes),
        ("forwarder_tx_packets_total", "Frames put on the queue's TX ring.", q => q.Tx),
        ("forwarder_tx_bytes_total", "Bytes of the frames put on the queue's TX ring.", q => q.TxBytes),
        ("forwarder_batches_total", "Worker loop iterations that received at least one frame.", q => q.Batches),
        ("forwarder_empty_polls_total", "Worker loop iterations that found the RX ring empty.", q => q.EmptyPolls),
        ("forwarder_tx_wakeups_total", "Calls that asked the kernel to transmit (sendto).", q => q.TxWakeups),
        ("forwarder_tx_wakeups_again_total", "TX wakeups answered EAGAIN: the kernel's TX budget ran out with more to send.", q => q.TxWakeupsAgain),
        ("forwarder_tx_wakeup_errors_total", "TX wakeups that failed with another error (e.g. ENOBUFS, ENETDOWN).", q => q.TxWakeupErrors),
        ("forwarder_rx_wakeups_total", "Calls made because the FILL ring asked for a wakeup (recvfrom).", q => q.RxWakeups),
        ("forwarder_idle_waits_total", "Times the worker slept in poll() because there was nothing to do.", q => q.IdleWaits),
    ];

    public static void Write(PrometheusTextWriter writer, IReadOnlyList<QueueStats> queues)
    {
        foreach ((string name, string help, Func<QueueStats, long> read) in Counters)
        {
            writer.Family(name, MetricType.Counter, help);
            foreach (QueueStats queue in queues)
                writer.Sample(read(queue), Queue(queue));
        }

        writer.Family("forwarder_drops_total", MetricType.Counter, "Frames not transmitted, by queue and reason (each frame counted under exactly one reason).");
        foreach (QueueStats queue in queues)
        {
            for (int reason = 1; reason < DropReasons.Count; reason++)
            {
                string name = DropReasons.Name((DropReason)reason);
                writer.Sample(queue.DropReasons.GetValueOrDefault(name), Queue(queue), new MetricLabel("reason", name));
            }
        }

        writer.Family("forwarder_queue_core", MetricType.Gauge, "The CPU each queue's worker is pinned to.");
        foreach (QueueStats queue in queues)
            writer.Sample(queue.Core, Queue(queue));
    }

    private static MetricLabel Queue(QueueStats queue) => new("queue", queue.Queue.ToString(CultureInfo.InvariantCulture));
}
