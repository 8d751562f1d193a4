using Forwarder.Configuration;

namespace Forwarder.Health;

/// <summary>What a configuration asks to be probed.</summary>
public static class HealthTargets
{
    /// <summary>
    /// The target of <paramref name="backend"/> in <paramref name="vip"/>: the check's port, else the
    /// backend's own port (<c>nat</c>), else the VIP's. <c>null</c> when the VIP has no health check
    /// (its backends always count as healthy) or no port to probe.
    /// </summary>
    public static HealthTarget? For(VipConfig vip, BackendConfig backend)
    {
        if (vip.HealthCheck is not { } check)
            return null;
        ushort port = check.Port ?? backend.Port ?? vip.Port;
        return port == 0 ? null : new HealthTarget(backend.Address, port, check);
    }

    /// <summary>Every target of <paramref name="vip"/>, each once.</summary>
    public static IReadOnlyList<HealthTarget> Of(VipConfig vip) =>
        vip.Backends.Select(backend => For(vip, backend)).OfType<HealthTarget>().Distinct().ToArray();

    /// <summary>Every target of <paramref name="config"/>, each once even when VIPs share it.</summary>
    public static IReadOnlyList<HealthTarget> Of(ForwarderConfig config) =>
        config.Vips.SelectMany(Of).Distinct().ToArray();
}
