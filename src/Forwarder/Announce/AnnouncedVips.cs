using System.Net;
using Forwarder.Configuration;

namespace Forwarder.Announce;

/// <summary>
/// The announce policy: a VIP may be announced once the hold-down since start has passed, while it has at least
/// <see cref="AnnounceConfig.MinHealthyBackends"/> healthy backends, and, when <see cref="AnnounceConfig.ExpectedDigests"/>
/// names it, while its table digest is the one expected. Routes are per address: an address is announced when any of
/// its VIPs (ports, protocols) may be, so one failing port never takes a healthy one off the node.
/// </summary>
public static class AnnouncedVips
{
    public static IReadOnlyList<VipDecision> Decide(IEnumerable<VipFacts> vips, AnnounceConfig config, TimeSpan sinceStart) =>
        vips.Select(v => Decide(v, config, sinceStart)).ToArray();

    /// <summary>The addresses to route to this node: those with at least one VIP allowed, without repeats, in a stable order.</summary>
    public static IReadOnlyList<IPAddress> Addresses(IEnumerable<VipDecision> decisions) =>
        decisions.Where(d => d.Allowed).Select(d => d.Address).Distinct().OrderBy(a => a.ToString(), StringComparer.Ordinal).ToArray();

    private static VipDecision Decide(VipFacts vip, AnnounceConfig config, TimeSpan sinceStart)
    {
        string? refused = null;
        if (sinceStart < config.HoldDown)
            refused = $"hold-down: health checks have run {sinceStart.TotalSeconds:F1} s of {Duration.Format(config.HoldDown)}";
        else if (vip.HealthyBackends < config.MinHealthyBackends)
            refused = $"{vip.HealthyBackends} healthy backend(s), fewer than min_healthy_backends {config.MinHealthyBackends}";
        else if (config.ExpectedDigests[vip.Vip] is { } expected && expected != vip.Digest)
            refused = $"table digest {vip.Digest} is not the expected {expected}";
        return new VipDecision(vip.Vip, vip.Address, refused is null, refused ?? $"{vip.HealthyBackends} healthy backend(s)", vip.Digest);
    }
}
