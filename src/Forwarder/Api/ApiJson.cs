using System.Text.Json;
using System.Text.Json.Serialization;

namespace Forwarder.Api;

/// <summary>How the API writes JSON: snake_case names, indented for people reading it with curl, nulls left out.</summary>
public static class ApiJson
{
    public const string ContentType = "application/json; charset=utf-8";

    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
