using System.Text;
using System.Text.Json;
using Forwarder.Configuration;

namespace Forwarder.Api;

/// <summary>
/// Reads request bodies. A body is JSON in the configuration file's field names; JSON is YAML's flow
/// syntax, so the configuration file's own readers check it and a VIP sent to the API is held to exactly
/// the rules — and gets exactly the messages — of a VIP in the file. Errors name the field
/// (<c>backends[0].address: '10.0.0.300' is not an IPv4 or IPv6 address</c>).
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

    /// <summary>The body as JSON on one line (so YAML sees no indentation, tabs or comments), or why it is not JSON.</summary>
    private static string CompactJson(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
            throw new InvalidRequestException("the request has no body; send a JSON object (Content-Type: application/json)");
        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
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

    /// <summary>The field and the problem; positions are left out, the body being one line once read.</summary>
    private static string Describe(ConfigDiagnostic diagnostic) =>
        diagnostic.Path.Length == 0 ? diagnostic.Message : $"{diagnostic.Path}: {diagnostic.Message}";
}
