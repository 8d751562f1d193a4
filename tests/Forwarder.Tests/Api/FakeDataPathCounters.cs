using System.Runtime.Versioning;
using Forwarder.Metrics;
using Forwarder.Steering;

namespace Forwarder.Tests.Api;

/// <summary>Two queues and an XDP program with fixed, distinct counters; <see cref="Fail"/> makes the next readings throw.</summary>
[SupportedOSPlatform("linux")]
internal sealed class FakeDataPathCounters : IDataPathCounters
{
    public static readonly QueueStats Queue0 = new(0, 2, Rx: 1000, RxBytes: 64000, Tx: 990, TxBytes: 70000, Drops: 10, Batches: 40, EmptyPolls: 5,
        TxWakeups: 30, TxWakeupsAgain: 2, TxWakeupErrors: 1, RxWakeups: 3, IdleWaits: 7,
        DropReasons: new Dictionary<string, long> { ["unknown_vip"] = 6, ["tx_ring_full"] = 4 });

    public static readonly QueueStats Queue1 = new(1, 3, Rx: 2000, RxBytes: 128000, Tx: 2000, TxBytes: 140000, Drops: 0, Batches: 80, EmptyPolls: 9,
        TxWakeups: 60, TxWakeupsAgain: 0, TxWakeupErrors: 0, RxWakeups: 0, IdleWaits: 11, DropReasons: new Dictionary<string, long>());

    public static readonly RedirectCounters Xdp = new(Seen: 3100, Redirected: 3000, Passed: 90, Malformed: 7, NoSocket: 3, HostPassed: 2);

    public bool Fail { get; set; }

    public string InterfaceName => "eth0";

    public IReadOnlyList<QueueStats> ReadQueues() => Fail ? throw new InvalidOperationException("counters unavailable") : [Queue0, Queue1];

    public RedirectCounters ReadRedirectCounters() => Xdp;

    public static readonly XskSocketReading Socket0 = new(0, RxDropped: 11, RxInvalidDescriptors: 12, TxInvalidDescriptors: 13, RxRingFull: 14,
        RxFillRingEmptyDescriptors: 15, TxRingEmptyDescriptors: 16, ReadFailures: 1);

    public static readonly XskSocketReading Socket1 = new(1, 0, 0, 0, RxRingFull: 24, RxFillRingEmptyDescriptors: 25, 0, 0);

    public IReadOnlyList<XskSocketReading> ReadSockets() => [Socket0, Socket1];

    /// <summary>The connection tables' readings; none (a stateless forwarder) unless a test sets them.</summary>
    public IReadOnlyList<ConnectionTableReading> ConnectionTables { get; set; } = [];

    public IReadOnlyList<ConnectionTableReading> ReadConnectionTables() => ConnectionTables;

    public Forwarder.HostAddresses.HostAddressReading ReadHostAddresses() => new(Addresses: 3, Syncs: 5, Failures: 1);
}
