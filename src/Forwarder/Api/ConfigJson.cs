using System.Text.Json.Nodes;
using Forwarder.Configuration;

namespace Forwarder.Api;

/// <summary>
/// The running configuration's VIPs as JSON in the configuration file's own field names, so that a VIP
/// from <c>GET /vips</c> can be sent back to <c>POST /vips</c> as it is. Made from what
/// <see cref="ForwarderConfigWriter"/> writes, so the two always spell every setting the same way.
/// </summary>
internal static class ConfigJson
{
    public static JsonArray Vips(ForwarderConfig config)
    {
        var diagnostics = new ConfigDiagnostics();
        ConfigNode? root = ConfigYamlParser.Parse(ForwarderConfigWriter.Write(config), diagnostics);
        ConfigNode? vips = (root as ConfigMapping)?.Entries.FirstOrDefault(e => e.Key.Value == "vips")?.Value;
        if (vips is not ConfigSequence sequence)
            throw new InvalidOperationException("the configuration writer wrote no vips list: " + string.Join("; ", diagnostics.Errors));
        var array = new JsonArray();
        foreach (ConfigNode vip in sequence.Items)
            array.Add(ToJson(vip));
        return array;
    }

    private static JsonNode? ToJson(ConfigNode node) => node switch
    {
        ConfigMapping mapping => new JsonObject(mapping.Entries.Select(e => KeyValuePair.Create(e.Key.Value, ToJson(e.Value)))),
        ConfigSequence sequence => new JsonArray(sequence.Items.Select(ToJson).ToArray()),
        ConfigScalar { IsNull: true } => null,
        ConfigScalar { IsPlain: true } scalar when long.TryParse(scalar.Value, out long number) => JsonValue.Create(number),
        ConfigScalar { IsPlain: true, Value: "true" or "false" } scalar => JsonValue.Create(scalar.Value == "true"),
        ConfigScalar scalar => JsonValue.Create(scalar.Value),
        _ => throw new InvalidOperationException($"unexpected node {node.Kind}"),
    };
}
