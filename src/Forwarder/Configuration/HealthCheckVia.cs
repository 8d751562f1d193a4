namespace Forwarder.Configuration;

/// <summary>Which way a probe reaches a backend.</summary>
public enum HealthCheckVia
{
    /// <summary>Straight to the backend's own address: proves the service runs, not that the backend serves the VIP.</summary>
    Backend,

    /// <summary>
    /// To the VIP's address, delivered to that one backend as the forwarder delivers clients' packets (the VIP's
    /// mode: ipip/gue encapsulated to it, dsr-l2 to its MAC), so it fails when the backend black-holes the VIP's
    /// traffic. Under nat the backend's address is what clients reach, so it probes as <see cref="Backend"/> does.
    /// </summary>
    Vip,
}
