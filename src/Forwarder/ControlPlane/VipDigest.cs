using System.Security.Cryptography;
using System.Text;
using Forwarder.Configuration;
using Forwarder.Maglev;

namespace Forwarder.ControlPlane;

/// <summary>
/// The digest operators compare across nodes: equal on two nodes exactly when they send every flow of the VIP to
/// the same backend. That is the Maglev table's digest for a VIP without hash flags, so those digests are what they
/// always were; a VIP with hash flags (<c>no_source_port</c>, <c>dport_only</c>, <c>src_dst_port</c>) hashes flows
/// differently over the same table, so its digest is SHA-256 over the table's digest and the flags' names.
/// A port-0 VIP needs nothing more: its port is part of its name. A source allow list is not part of it: it decides
/// whether a flow is forwarded, never to which backend (see docs/configuration.md, allowed_sources).
/// </summary>
public static class VipDigest
{
    /// <summary>"none" without a table: the VIP drops its packets, whatever its flags.</summary>
    public static string Of(MaglevTable? table, VipFlags flags)
    {
        if (table is null)
            return "none";
        if (flags == VipFlags.None)
            return table.Digest;
        string names = string.Join(',', ConfigNames.Flags.Where(f => (flags & f.Value) != 0).Select(f => f.Name));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes($"{table.Digest}|flags={names}")));
    }
}
