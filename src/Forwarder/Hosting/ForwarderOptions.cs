using AfXdp;
using Forwarder.DataPlane;
using Forwarder.Steering;

namespace Forwarder.Hosting;

/// <summary>Everything <c>forwarder run</c> needs, validated by the CLI before any device is touched.</summary>
public sealed record ForwarderOptions
{
    public required string Interface { get; init; }
    public required IReadOnlyList<QueueAssignment> Queues { get; init; }
    public required IReadOnlyList<VipSpec> Vips { get; init; }
    public required byte[] NextHopMac { get; init; }
    public XdpMode XdpMode { get; init; } = XdpMode.Native;
    public UmemOptions Umem { get; init; } = new();
    public XskSocketOptions Socket { get; init; } = new();
    public WorkerOptions Worker { get; init; } = new();
    public string BpfObjectPath { get; init; } = RedirectProgram.DefaultObjectPath;
    /// <summary>
    /// The configuration file's content when the forwarder load-balances (<c>run --config</c>); null for
    /// plain L2 forwarding to <see cref="NextHopMac"/> (<c>run --vip</c>).
    /// </summary>
    public Configuration.ForwarderConfig? Config { get; init; }
    /// <summary>Shape of each worker's connection table when load-balancing; null = none (purely stateless).</summary>
    public FlowTable.ConnectionTableOptions? FlowTable { get; init; }
    /// <summary>Seconds between live stats lines; 0 = none.</summary>
    public double StatsInterval { get; init; } = 1;
    /// <summary>
    /// Benchmarking switch (<c>forwarder run --receive-only</c>): each worker's processor is wrapped in a
    /// <see cref="ReceiveOnlyProcessor{TProcessor}"/>, so every frame is processed as usual, then goes back to FILL
    /// instead of TX, counted as <see cref="DropReason.ReceiveOnly"/>. Nothing is transmitted. Not for production.
    /// </summary>
    public bool ReceiveOnly { get; init; }
    /// <summary>The liveness device and its drain and watchdog (<c>run --liveness-device</c>); null for none.</summary>
    public Forwarder.Liveness.LivenessOptions? Liveness { get; init; }
}
