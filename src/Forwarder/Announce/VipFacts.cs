using System.Net;
using Forwarder.Configuration;
using Forwarder.ControlPlane;

namespace Forwarder.Announce;

/// <summary>What the announce policy knows of one published VIP: its name, address, healthy backends and table digest.</summary>
public sealed record VipFacts(string Vip, IPAddress Address, int HealthyBackends, string Digest)
{
    /// <summary>
    /// The facts of every VIP of a published snapshot. A backend counts as healthy when it is in the VIP's table: a
    /// backend marked down (or given weight 0) has weight 0 there.
    /// </summary>
    public static IReadOnlyList<VipFacts> Of(ConfiguredSnapshot published) =>
        published.Vips.Select(v => new VipFacts(AnnounceConfig.VipName(v.Config), v.Config.Address, v.Backends.Count(b => b.Weight > 0), v.Entry.Digest)).ToArray();
}
