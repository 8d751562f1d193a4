using Forwarder.Configuration;
using Forwarder.Packets;

namespace Forwarder.Health;

/// <summary>What a configuration asks to be probed.</summary>
public static class HealthTargets
{
    /// <summary>
    /// The target of <paramref name="backend"/> in <paramref name="vip"/>: the check's port, else the
    /// backend's own port (<c>nat</c>), else the VIP's. <c>null</c> when the VIP has no health check
    /// (its backends always count as healthy) or no port to probe. A <c>via: vip</c> check goes to the VIP
    /// along the backend's <see cref="ProbeRoute"/>, except under nat, where the backend's address is what
    /// clients reach and the probe goes there.
    /// </summary>
    public static HealthTarget? For(VipConfig vip, BackendConfig backend)
    {
        if (vip.HealthCheck is not { } check)
            return null;
        ushort port = check.Port ?? backend.Port ?? vip.Port;
        if (port == 0)
            return null;
        var target = new HealthTarget(backend.Address, port, check);
        return check.Via == HealthCheckVia.Vip && vip.Mode != ForwardingMode.Nat
            ? target with { Vip = vip.Address, Route = new ProbeRoute(backend.Address, vip.Mode, vip.Mode == ForwardingMode.DsrL2 ? backend.Mac : null) }
            : target;
    }

    /// <summary>Every probe route of <paramref name="config"/>, each once.</summary>
    public static IReadOnlyList<ProbeRoute> RoutesOf(ForwarderConfig config) =>
        Of(config).Select(target => target.Route).OfType<ProbeRoute>().Distinct().ToArray();

    /// <summary>Every target of <paramref name="vip"/>, each once.</summary>
    public static IReadOnlyList<HealthTarget> Of(VipConfig vip) =>
        vip.Backends.Select(backend => For(vip, backend)).OfType<HealthTarget>().Distinct().ToArray();

    /// <summary>Every target of <paramref name="config"/>, each once even when VIPs share it.</summary>
    public static IReadOnlyList<HealthTarget> Of(ForwarderConfig config) =>
        config.Vips.SelectMany(Of).Distinct().ToArray();
}
