using Forwarder.Configuration;

namespace Forwarder.Health;

/// <summary>
/// How many of a VIP's backends are healthy; <see cref="AllDown"/> says the VIP has backends but none
/// to send flows to. Backends without a check, and checked backends not yet monitored, count as
/// healthy, as they do in the forwarding tables.
/// </summary>
public sealed record VipHealth(VipConfig Vip, int Backends, int Healthy, IReadOnlyList<BackendId> Down)
{
    public bool AllDown => Backends > 0 && Healthy == 0;

    public static VipHealth Of(VipConfig vip, IReadOnlyDictionary<HealthTarget, BackendHealthStatus> snapshot)
    {
        List<BackendId> down = [];
        foreach (BackendConfig backend in vip.Backends)
        {
            if (HealthTargets.For(vip, backend) is { } target && snapshot.TryGetValue(target, out BackendHealthStatus? status) && !status.Healthy)
                down.Add(backend.Id);
        }
        return new VipHealth(vip, vip.Backends.Count, vip.Backends.Count - down.Count, down);
    }

    /// <summary>Every VIP of <paramref name="config"/>, in file order.</summary>
    public static IReadOnlyList<VipHealth> Of(ForwarderConfig config, IReadOnlyDictionary<HealthTarget, BackendHealthStatus> snapshot) =>
        config.Vips.Select(vip => Of(vip, snapshot)).ToArray();
}
