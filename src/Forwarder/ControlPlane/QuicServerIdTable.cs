using System.Security.Cryptography;
using System.Text;
using Forwarder.Configuration;
using Forwarder.DataPlane;

namespace Forwarder.ControlPlane;

/// <summary>
/// Builds a <c>quic</c> VIP's <see cref="QuicServerIds"/> from its backends (by backend id) and the table it had
/// before: a server id a backend had and no backend has now stays in the table as retired (its packets are
/// counted as retired, not unknown), up to <see cref="MaxRetired"/> of them.
/// </summary>
public static class QuicServerIdTable
{
    /// <summary>Retired ids kept per VIP; beyond it the largest are forgotten (and then count as unknown).</summary>
    public const int MaxRetired = 4096;

    /// <summary>The table of <paramref name="vip"/>, null unless it is a quic VIP.</summary>
    /// <param name="backends">The VIP's backends by backend id (sorted by address, then port).</param>
    /// <param name="previous">The table the same VIP had in the last build, if any.</param>
    public static QuicServerIds? Build(VipConfig vip, IReadOnlyList<BackendConfig> backends, QuicServerIds? previous)
    {
        if (!vip.Quic)
            return null;
        var ids = new Dictionary<uint, int>();
        for (int b = 0; b < backends.Count; b++)
        {
            if (backends[b].ServerId is { } id)
                ids.TryAdd(id, b);
        }
        if (previous is not null)
        {
            foreach ((uint id, _) in previous.Entries.Where(e => !ids.ContainsKey(e.ServerId)).Take(MaxRetired))
                ids.Add(id, QuicServerIds.Retired);
        }
        return new QuicServerIds(ids);
    }

    /// <summary>
    /// The digest a quic VIP publishes: SHA-256 over the Maglev table's digest and every (server id, backend
    /// address, port), so a server-id change changes it; other VIPs publish the Maglev digest as it is.
    /// </summary>
    public static string Digest(string maglevDigest, VipConfig vip, IReadOnlyList<BackendConfig> backends)
    {
        if (!vip.Quic || maglevDigest == "none")
            return maglevDigest;
        var text = new StringBuilder(maglevDigest);
        foreach (BackendConfig backend in backends.Where(b => b.ServerId is not null).OrderBy(b => b.ServerId))
            text.Append(';').Append(backend.ServerId).Append('=').Append(backend.Address).Append(':').Append(backend.Port ?? 0);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
