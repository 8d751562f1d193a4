using Forwarder.Announce;
using Forwarder.Api;
using Forwarder.Capture;
using Forwarder.ControlPlane;
using Forwarder.Metrics;

namespace Forwarder.Hosting;

/// <summary>The control of a running <see cref="ForwarderHost"/> that load-balances from a configuration file.</summary>
/// <param name="upgrade">Runs an upgrade (binary, trigger); null where this process cannot be upgraded.</param>
public sealed class HostForwarderControl(ForwarderHost host, ConfigFileReloader reloader, Func<string?, string, UpgradeReply>? upgrade = null) : IForwarderControl
{
    public UpgradeReply? Upgrade(string? binary, string trigger) => upgrade?.Invoke(binary, trigger);

    public ForwarderRuntime Runtime { get; } = host.Runtime ?? throw new ArgumentException("the host runs without a configuration (plain L2 forwarding)", nameof(host));

    public IDataPathCounters DataPath { get; } = new HostDataPathCounters(host);

    public IReadOnlyList<QueueConnections> ConnectionTables =>
        host.ConnectionTables.Select((table, i) => new QueueConnections(host.Queues[i].Assignment.Queue, table)).ToArray();

    public ReloadResult Reload(string trigger) => reloader.Reload(trigger);

    public long ReloadFailures => reloader.Failures;

    public long LogWriteFailures => ConsoleOutput.WriteFailures;

    public CapturePoint? Capture { get; } = new(host.Capture, host.Queues.Count);
    public AnnounceReading? Announce => host.Announcer?.Reading;

    public Liveness.LivenessReading? Liveness => host.Liveness?.Read();

    public Liveness.LivenessReading? Drain(string trigger)
    {
        if (host.Liveness is not { } controller)
            return null;
        controller.RequestDrain(trigger);
        return controller.Read();
    }

    public Forwarder.Health.ViaVip.ProbeCounters? ViaVipProbes => host.Health?.Steering?.ReadCounters();
}
