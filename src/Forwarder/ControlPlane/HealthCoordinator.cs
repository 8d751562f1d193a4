using Forwarder.Configuration;
using Forwarder.Health;
using Forwarder.Health.ViaVip;
using Microsoft.Extensions.Logging;

namespace Forwarder.ControlPlane;

/// <summary>
/// Connects the health monitor to the running configuration: the monitor probes every target the
/// configuration asks for; a target going down or up marks every VIP backend that uses it, each by its
/// <see cref="BackendId"/> (a nat backend on the same address with another port is probed on its own
/// port, unless the check names one, and keeps its own mark), which republishes the VIP's table at
/// once. After each configuration change the monitor's targets are updated, and marks the monitor no
/// longer backs (a target that is new starts healthy without an event) are cleared — on the thread
/// pool, not inside the handler the runtime raises under its change lock.
/// </summary>
public sealed partial class HealthCoordinator : IAsyncDisposable
{
    private readonly ForwarderRuntime _runtime;
    private readonly HealthMonitor _monitor;
    private readonly ILogger _log;
    private readonly VipProbeSteering? _steering;
    private readonly object _reconciling = new();

    /// <param name="steering">The marks of <c>via: vip</c> probes, updated before the monitor on every change (and disposed with it); the monitor's probe reads them.</param>
    public HealthCoordinator(ForwarderRuntime runtime, HealthMonitor monitor, ILogger log, VipProbeSteering? steering = null)
    {
        _runtime = runtime;
        _monitor = monitor;
        _log = log;
        _steering = steering;
    }

    /// <summary>The steering of <c>via: vip</c> probes, when the forwarder has one.</summary>
    public VipProbeSteering? Steering => _steering;

    public HealthMonitor Monitor => _monitor;

    /// <summary>Every probed target's mark (<see cref="HealthMark.Format"/>): what an upgrade hands to the successor.</summary>
    public string Marks() => HealthMark.Format(_monitor.Snapshot());

    /// <summary>Before <see cref="Start"/>: the marks an upgrade's predecessor handed over; a target down there starts down here.</summary>
    public void Restore(IReadOnlyDictionary<string, HealthMark> marks) => _monitor.Restore(marks);

    public void Start()
    {
        _monitor.Changed += OnChanged;
        _runtime.ConfigApplied += OnConfigApplied;
        UpdateSteering(_runtime.Config);
        _monitor.Update(HealthTargets.Of(_runtime.Config));
        foreach ((HealthTarget target, BackendHealthStatus status) in _monitor.Snapshot())
        {
            if (!status.Healthy) // handed over down: its backends leave the tables as at a change
                OnChanged(target, healthy: false, status.LastChangeReason);
        }
    }

    private void OnChanged(HealthTarget target, bool healthy, string reason)
    {
        ForwarderConfig config = _runtime.Config;
        var marked = new List<(VipIdentity Vip, BackendId Backend)>();
        foreach (VipConfig vip in config.Vips)
        {
            foreach (BackendConfig backend in vip.Backends)
            {
                if (HealthTargets.For(vip, backend) == target)
                    marked.Add((VipIdentity.Of(vip), backend.Id));
            }
        }
        // One change for every VIP the target serves: their tables are rebuilt and published together.
        _runtime.SetHealth(marked, healthy);
        foreach ((VipIdentity vip, BackendId backend) in marked)
        {
            if (healthy)
                BackendUp(_log, vip.ToString(), backend.ToString(), reason);
            else
                BackendDown(_log, vip.ToString(), backend.ToString(), reason);
        }
        ReportVipsWithoutBackends(config);
    }

    private void OnConfigApplied(ForwarderConfig config) => ThreadPool.QueueUserWorkItem(_ => Reconcile());

    /// <summary>
    /// Brings the monitor's targets to the running configuration, then clears the marks it no longer backs. One at a
    /// time and always with the configuration running then, so a reconcile queued by an older change never puts
    /// back the targets of an older configuration. Which marks to clear is read from the monitor inside the
    /// runtime's change lock: a backend that goes down while this runs keeps the mark its health change adds.
    /// </summary>
    private void Reconcile()
    {
        try
        {
            lock (_reconciling)
            {
                ForwarderConfig config = _runtime.Config;
                UpdateSteering(config);
                _monitor.Update(HealthTargets.Of(config));
                _runtime.ClearHealthMarks(Unbacked);
            }
        }
        catch (Exception e)
        {
            ReconcileFailed(_log, e.Message);
        }
    }

    /// <summary>The marks whose backend the configuration no longer has, or whose target the monitor does not see down.</summary>
    private IEnumerable<(VipIdentity Vip, BackendId Backend)> Unbacked(ForwarderConfig config, IReadOnlyList<(VipIdentity Vip, BackendId Backend)> marks)
    {
        IReadOnlyDictionary<HealthTarget, BackendHealthStatus> states = _monitor.Snapshot();
        var vips = new Dictionary<VipIdentity, VipConfig>();
        foreach (VipConfig vip in config.Vips)
            vips.TryAdd(VipIdentity.Of(vip), vip);
        foreach ((VipIdentity vip, BackendId backend) in marks)
        {
            VipConfig? vipConfig = vips.GetValueOrDefault(vip);
            BackendConfig? backendConfig = vipConfig?.Backends.FirstOrDefault(backend.Names);
            HealthTarget? target = vipConfig is null || backendConfig is null ? null : HealthTargets.For(vipConfig, backendConfig);
            if (target is null || !states.TryGetValue(target, out BackendHealthStatus? state) || state.Healthy)
                yield return (vip, backend);
        }
    }

    private void UpdateSteering(ForwarderConfig config)
    {
        if (_steering is null)
            return;
        _steering.Update(config);
        if (_steering.Unavailable is { } reason)
            ViaVipUnavailable(_log, reason);
    }

    private void ReportVipsWithoutBackends(ForwarderConfig config)
    {
        var down = _runtime.DownBackends.ToHashSet();
        foreach (VipConfig vip in config.Vips.Where(v => v.Backends.Any(b => b.Weight > 0)))
        {
            var id = VipIdentity.Of(vip);
            if (vip.Backends.Where(b => b.Weight > 0).All(b => down.Contains((id, b.Id))))
                AllBackendsDown(_log, id.ToString());
        }
    }

    public async ValueTask DisposeAsync()
    {
        _runtime.ConfigApplied -= OnConfigApplied;
        _monitor.Changed -= OnChanged;
        await _monitor.DisposeAsync();
        _steering?.Dispose();
    }

    [LoggerMessage(EventId = 210, Level = LogLevel.Warning, Message = "backend {Backend} of {Vip} is down ({Reason}); it left the table")]
    private static partial void BackendDown(ILogger logger, string vip, string backend, string reason);

    [LoggerMessage(EventId = 211, Level = LogLevel.Information, Message = "backend {Backend} of {Vip} is up ({Reason}); it is back in the table")]
    private static partial void BackendUp(ILogger logger, string vip, string backend, string reason);

    [LoggerMessage(EventId = 212, Level = LogLevel.Error, Message = "every backend of {Vip} is down: its packets are dropped and counted (no_backend)")]
    private static partial void AllBackendsDown(ILogger logger, string vip);

    [LoggerMessage(EventId = 214, Level = LogLevel.Error, Message = "{Reason}; backends checked via: vip are taken down until they can be probed")]
    private static partial void ViaVipUnavailable(ILogger logger, string reason);

    [LoggerMessage(EventId = 213, Level = LogLevel.Error, Message = "reconciling health marks after a configuration change failed: {Message}")]
    private static partial void ReconcileFailed(ILogger logger, string message);
}
