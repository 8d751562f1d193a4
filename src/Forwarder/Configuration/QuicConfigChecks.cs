namespace Forwarder.Configuration;

/// <summary>
/// Checks a VIP's <c>quic</c> switch against its protocol and its backends' <c>server_id</c>s: quic only for
/// <c>protocol: udp</c>, server ids only under quic, no server id twice within the VIP (each names one backend, as
/// in Katran's server id map). Warns when a quic VIP has no server id at all (everything then goes by Maglev).
/// </summary>
internal static class QuicConfigChecks
{
    public static void Check(ParsedVip parsed, IReadOnlyList<ParsedBackend> backends, ConfigDiagnostics diagnostics)
    {
        VipConfig vip = parsed.Config;
        if (vip.Quic && vip.Protocol != VipProtocol.Udp)
        {
            diagnostics.Error(ConfigPath.Member(parsed.Path, "quic"), NodeOf(parsed.Node, "quic") ?? parsed.Node,
                $"quic routes UDP packets by their QUIC connection id; set protocol: udp on this VIP (it matches {ConfigNames.Of(ConfigNames.Protocols, vip.Protocol)})");
        }
        var seen = new Dictionary<uint, ParsedBackend>();
        foreach (ParsedBackend backend in backends)
        {
            if (backend.Config.ServerId is not { } id)
                continue;
            ConfigNode node = NodeOf(backend.Node, "server_id") ?? backend.Node;
            string path = ConfigPath.Member(backend.Path, "server_id");
            if (!vip.Quic)
            {
                diagnostics.Error(path, node, "a server id is used only by a quic VIP; set quic: true on the VIP or remove server_id");
                continue;
            }
            if (!seen.TryAdd(id, backend))
            {
                ParsedBackend first = seen[id];
                diagnostics.Error(path, node,
                    $"server id {id} is already {first.Path[(first.Path.LastIndexOf('.') + 1)..]}'s (line {first.Node.Line}); each backend of a quic VIP needs its own server id");
            }
        }
        if (vip.Quic && backends.Count > 0 && seen.Count == 0)
        {
            diagnostics.Warning(ConfigPath.Member(parsed.Path, "backends"), parsed.Node,
                "quic is on but no backend has a server_id: every packet is routed by Maglev");
        }
    }

    private static ConfigNode? NodeOf(ConfigMapping mapping, string key) =>
        mapping.Entries.FirstOrDefault(e => e.Key.Value == key)?.Value;
}
