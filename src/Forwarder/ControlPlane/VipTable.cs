using Forwarder.Configuration;
using Forwarder.Maglev;

namespace Forwarder.ControlPlane;

/// <summary>
/// A VIP's Maglev table and the backends its slots name. Backend ids are positions in the backends
/// sorted by address, then port (a nat VIP may list one address with several ports), so the table — and its digest — depend only on the configuration's content,
/// never on the order the backends are listed in: every node of an ECMP group computes the same one
/// (see <see cref="VipTableInputs"/>).
/// </summary>
public sealed record VipTable(VipConfig Vip, IReadOnlyList<BackendConfig> Backends, MaglevTable? Table)
{
    /// <summary>The digest operators compare across nodes (<see cref="VipDigest"/>, with a quic VIP's server ids); "none" when no backend has weight.</summary>
    public string Digest => QuicServerIdTable.Digest(VipDigest.Of(Table, Vip.Flags), Vip, Backends);

    /// <summary>The table built from scratch (snapshots resolve theirs through a <see cref="MaglevTableCache"/>).</summary>
    public static VipTable Build(VipConfig vip)
    {
        VipTableInputs inputs = VipTableInputs.Of(vip);
        return new VipTable(vip, inputs.Backends, inputs.Key.Build());
    }
}
