namespace Forwarder.Configuration;

/// <summary>
/// The hash flags of one VIP checked together: <c>dport_only</c> replaces the source port and address that
/// <c>no_source_port</c> and <c>src_dst_port</c> speak about, and those two contradict each other, so each pair is refused;
/// <c>src_dst_port</c> on a VIP with a port changes nothing (both ports are hashed already) and is a warning.
/// </summary>
internal static class VipFlagChecks
{
    public static void Check(VipFlags flags, ushort port, ConfigNode at, string path, ConfigDiagnostics diagnostics)
    {
        if (Both(flags, VipFlags.DestinationPortOnly, VipFlags.NoSourcePort))
            diagnostics.Error(path, at, "dport_only and no_source_port exclude each other: dport_only already hashes the destination port in place of the source port and address; keep one");
        if (Both(flags, VipFlags.DestinationPortOnly, VipFlags.SourceAndDestinationPort))
            diagnostics.Error(path, at, "dport_only and src_dst_port exclude each other: dport_only hashes the destination port alone, src_dst_port both ports; keep one");
        if (Both(flags, VipFlags.NoSourcePort, VipFlags.SourceAndDestinationPort))
            diagnostics.Error(path, at, "no_source_port and src_dst_port exclude each other: no_source_port leaves the source port out of the hash, src_dst_port keeps both ports; keep one");
        if ((flags & VipFlags.SourceAndDestinationPort) != 0 && port != 0)
            diagnostics.Warning(path, at, $"src_dst_port changes only a port-0 (every port) VIP; this VIP's port {port} is hashed with the source port already");
    }

    private static bool Both(VipFlags flags, VipFlags one, VipFlags other) => (flags & one) != 0 && (flags & other) != 0;
}
