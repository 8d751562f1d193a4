using Forwarder.Packets;

namespace Forwarder.Configuration;

/// <summary>Reads a VIP's <c>quic</c> switch and a backend's <c>server_id</c>.</summary>
internal static class QuicConfigReader
{
    /// <summary><c>true</c> or <c>false</c>, written plainly.</summary>
    public static bool? ReadSwitch(ConfigNode node, string path, ConfigDiagnostics diagnostics)
    {
        if (node is ConfigScalar { IsNull: false, IsPlain: true } scalar)
        {
            if (scalar.Value == "true")
                return true;
            if (scalar.Value == "false")
                return false;
        }
        string got = node is ConfigScalar { IsNull: false } text ? $"'{text.Value}'" : node.Kind;
        diagnostics.Error(path, node, $"expected true or false, got {got}");
        return null;
    }

    /// <summary>A server id: 1..2147483647 (0 is what a connection id without one decodes to).</summary>
    public static uint? ReadServerId(ConfigNode node, string path, ConfigDiagnostics diagnostics)
    {
        if (node is ConfigScalar { IsNull: false, IsPlain: true, Value: "0" })
        {
            diagnostics.Error(path, node,
                $"0 is not a server id: a connection id that decodes to 0 carries none; use 1 to {QuicHeader.MaxServerId} (up to 65535 for connection-id v1, 16777215 for v2)");
            return null;
        }
        return (uint?)ConfigValues.Integer(node, path, diagnostics, 1, QuicHeader.MaxServerId);
    }
}
