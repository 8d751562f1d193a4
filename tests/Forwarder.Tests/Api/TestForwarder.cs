using System.Runtime.Versioning;
using Forwarder.Api;
using Forwarder.ControlPlane;
using Forwarder.Metrics;
using Forwarder.Tests.Configuration;
using Forwarder.Tests.ControlPlane;
using Forwarder.Tests.LoadBalancing;
using Microsoft.Extensions.Logging.Abstractions;
using Forwarder.Hosting;

namespace Forwarder.Tests.Api;

/// <summary>
/// What the API is given in a running forwarder, without a device: a real <see cref="ForwarderRuntime"/>
/// over in-memory steering maps, fixed data-path counters, and a configuration file in a temporary directory.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class TestForwarder : IForwarderControl, IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("forwarder-api-");

    /// <param name="yaml">The configuration; <see cref="ApiConfigs.Base"/> unless given.</param>
    public TestForwarder(string? yaml = null)
    {
        yaml ??= ApiConfigs.Base;
        ConfigPath = Path.Combine(_directory.FullName, "forwarder.yaml");
        File.WriteAllText(ConfigPath, yaml);
        Runtime = new ForwarderRuntime(TestConfigs.LoadValid(yaml), LoadBalancerConfigs.OwnMac, workerCount: 2, Maps);
        Reloader = new ConfigFileReloader(ConfigPath, Runtime, NullLogger.Instance);
    }

    public string DirectoryPath => _directory.FullName;

    public string ConfigPath { get; }

    public FakeSteeringMaps Maps { get; } = new();

    public FakeDataPathCounters Counters { get; } = new();

    public ConfigFileReloader Reloader { get; }

    public ForwarderRuntime Runtime { get; }

    public IDataPathCounters DataPath => Counters;

    public long Version => Runtime.Snapshots.Current.Version;

    public ReloadResult Reload(string trigger) => Reloader.Reload(trigger);

    public long ReloadFailures => Reloader.Failures;

    public long LogWriteFailures => ConsoleOutput.WriteFailures;

    /// <summary>Where POST /capture starts captures; null (no workers) unless a test sets it.</summary>
    public Forwarder.Capture.CapturePoint? Capture { get; set; }

    /// <summary>What <c>/status</c> and <c>/metrics</c> show of announcing; null (the default) as without an <c>announce</c> section.</summary>
    public Forwarder.Announce.AnnounceReading? Announce { get; set; }

    /// <summary>The workers' connection tables as <c>/flow</c> and <c>/flows</c> see them; none (stateless) unless a test sets them.</summary>
    public IReadOnlyList<QueueConnections> ConnectionTables { get; set; } = [];

    /// <summary>The liveness device's controller (over a fake device); null for a forwarder without one.</summary>
    public Forwarder.Liveness.LivenessController? LivenessControl { get; set; }

    public Forwarder.Liveness.LivenessReading? Liveness => LivenessControl?.Read();

    /// <summary>What <c>POST /upgrade</c> runs (binary, trigger); null for a forwarder that cannot be upgraded.</summary>
    public Func<string?, string, UpgradeReply>? Upgrader { get; set; }

    public UpgradeReply? Upgrade(string? binary, string trigger) => Upgrader?.Invoke(binary, trigger);

    public Forwarder.Liveness.LivenessReading? Drain(string trigger)
    {
        if (LivenessControl is not { } controller)
            return null;
        controller.RequestDrain(trigger);
        return controller.Read();
    }

    public void Dispose() => _directory.Delete(recursive: true);
}
