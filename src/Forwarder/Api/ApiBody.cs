using System.Text;
using System.Text.Json;
using Forwarder.Configuration;
using Forwarder.Packets;

namespace Forwarder.Api;

/// <summary>
/// Reads request bodies. A body is JSON in the configuration file's field names; JSON is YAML's flow
/// syntax, so the configuration file's own readers check it and a VIP sent to the API is held to exactly
/// the rules — and gets exactly the messages — of a VIP in the file. Errors name the field
/// (<c>backends[0].address: '10.0.0.300' is not an IPv4 or IPv6 address</c>). A string holding a control
/// character (a NUL, an escape sequence...) is refused first, naming its field: no such text goes further.
/// </summary>
internal static class ApiBody
{
    public static VipConfig ReadVip(string body, GueConfig gue) =>
        Read(body, (node, diagnostics) => VipReader.Read(node, "", gue, diagnostics)?.Config);

    public static BackendConfig ReadBackend(string body, ForwardingMode mode) =>
        Read(body, (node, diagnostics) => BackendReader.Read(node, "", mode, diagnostics)?.Config);

    /// <summary><c>{"weight": N}</c>.</summary>
    public static uint ReadWeight(string body) => Read<uint?>(body, (node, diagnostics) =>
    {
        if (ConfigValues.Mapping(node, "", diagnostics, "an object with the new weight, e.g. {\"weight\": 0} to drain") is not { } mapping)
            return null;
        var reader = new ConfigMappingReader(mapping, "", diagnostics);
        uint? weight = null;
        if (reader.Required("weight", $"the new weight, 0 (drain) to {BackendConfig.MaxWeight}") is { } weightNode)
            weight = (uint?)ConfigValues.Integer(weightNode, "weight", diagnostics, 0, BackendConfig.MaxWeight);
        reader.RejectUnknownKeys();
        return weight;
    })!.Value;

    private static T Read<T>(string body, Func<ConfigNode, ConfigDiagnostics, T?> read)
    {
        var diagnostics = new ConfigDiagnostics();
        ConfigNode? node = ConfigYamlParser.Parse(CompactJson(body), diagnostics);
        T? value = node is null ? default : read(node, diagnostics);
        if (diagnostics.ErrorCount > 0 || value is null)
            throw new InvalidRequestException(diagnostics.Errors.Select(Describe).DefaultIfEmpty("the body could not be read").ToArray());
        return value;
    }

    /// <summary>Control-character refusals listed at most: a body of many such strings gets a short answer.</summary>
    private const int MaxRefusals = 10;

    /// <summary>The body as JSON on one line (so YAML sees no indentation, tabs or comments), or why it is not JSON.</summary>
    private static string CompactJson(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
            throw new InvalidRequestException("the request has no body; send a JSON object (Content-Type: application/json)");
        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            var refusals = new List<string>();
            RefuseControlCharacters(document.RootElement, "", refusals);
            if (refusals.Count > 0)
                throw new InvalidRequestException(refusals);
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
                document.WriteTo(writer);
            return Encoding.UTF8.GetString(buffer.ToArray());
        }
        catch (JsonException e)
        {
            throw new InvalidRequestException($"the body is not valid JSON: {e.Message}");
        }
    }

    /// <summary>Every string (value or key) holding a control character, named by its path as the configuration's messages name fields.</summary>
    private static void RefuseControlCharacters(JsonElement element, string path, List<string> refusals)
    {
        if (refusals.Count >= MaxRefusals)
            return;
        switch (element.ValueKind)
        {
            case JsonValueKind.String when ControlCharacters.First(element.GetString()!) is { } found:
                refusals.Add(ControlCharacters.Refusal(path.Length == 0 ? "the body" : path, found));
                break;
            case JsonValueKind.Object:
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    string member = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
                    if (ControlCharacters.First(property.Name) is { } inName)
                        refusals.Add(ControlCharacters.Refusal(member, inName));
                    else
                        RefuseControlCharacters(property.Value, member, refusals);
                }
                break;
            case JsonValueKind.Array:
                int index = 0;
                foreach (JsonElement item in element.EnumerateArray())
                    RefuseControlCharacters(item, $"{path}[{index++}]", refusals);
                break;
        }
    }

    /// <summary>The field and the problem; positions are left out, the body being one line once read.</summary>
    private static string Describe(ConfigDiagnostic diagnostic) =>
        diagnostic.Path.Length == 0 ? diagnostic.Message : $"{diagnostic.Path}: {diagnostic.Message}";
}
