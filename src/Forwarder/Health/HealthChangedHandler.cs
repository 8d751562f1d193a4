namespace Forwarder.Health;

/// <summary>
/// A target went down (<paramref name="healthy"/> false) or came back. Raised on the target's probing
/// task: a handler must be quick and must not wait for the monitor (it may call
/// <see cref="HealthMonitor.Update"/> or <see cref="HealthMonitor.Snapshot"/>, which do not wait for probes).
/// </summary>
public delegate void HealthChangedHandler(HealthTarget target, bool healthy, string reason);
