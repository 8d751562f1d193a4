using Forwarder.Announce;
using Forwarder.Capture;
using Forwarder.ControlPlane;
using Forwarder.Metrics;

namespace Forwarder.Api;

/// <summary>
/// What the control API works on: the running configuration (every change goes through it, never to the
/// workers), the data path's counters, and the configuration file to re-read. Small so that tests can
/// supply one without a device.
/// </summary>
public interface IForwarderControl
{
    ForwarderRuntime Runtime { get; }

    IDataPathCounters DataPath { get; }

    /// <summary>Re-reads the configuration file and applies it if it changed.</summary>
    ReloadResult Reload(string trigger);

    /// <summary>Reloads of the configuration file that left the running configuration in place (unreadable, refused, or a fault).</summary>
    long ReloadFailures { get; }

    /// <summary>Each worker's connection table with its queue, for <c>GET /flow</c>; none when the forwarder runs stateless.</summary>
    IReadOnlyList<QueueConnections> ConnectionTables => [];

    /// <summary>Log, stats and error lines that could not be written to stdout or stderr.</summary>
    long LogWriteFailures { get; }

    /// <summary>Where <c>POST /capture</c> starts a packet capture; null where there are no workers to capture from.</summary>
    CapturePoint? Capture => null;

    /// <summary>What this node offers its BIRD to announce; null without an <c>announce</c> section.</summary>
    AnnounceReading? Announce => null;

    /// <summary>The liveness device's state; null when the forwarder runs without one.</summary>
    Liveness.LivenessReading? Liveness => null;

    /// <summary>Starts a drain (a second request changes nothing) and returns the state after it; null without a liveness device.</summary>
    Liveness.LivenessReading? Drain(string trigger) => null;

    /// <summary>Upgrades the running forwarder to <paramref name="binary"/> (null: the running one) and answers how it went; null where there is nothing to upgrade.</summary>
    UpgradeReply? Upgrade(string? binary, string trigger) => null;

    /// <summary>The counters of the program that sends <c>via: vip</c> health probes; null while it is not attached.</summary>
    Forwarder.Health.ViaVip.ProbeCounters? ViaVipProbes => null;
}
