using System.Runtime.Versioning;
using System.Text.Json;
using Forwarder.Cli;

namespace Forwarder.Tests.Api;

/// <summary>Assertions on the API's answers.</summary>
[SupportedOSPlatform("linux")]
internal static class ApiAssert
{
    /// <summary>A 200 change answer; returns the new table version.</summary>
    public static long Applied(ApiResponse response)
    {
        Assert.True(response.Status == 200, $"expected the change applied, got {response.Status}: {response.Body}");
        return JsonDocument.Parse(response.Body).RootElement.GetProperty("version").GetInt64();
    }

    /// <summary>An error answer with this status; returns its messages.</summary>
    public static IReadOnlyList<string> Error(ApiResponse response, int status)
    {
        Assert.True(response.Status == status, $"expected {status}, got {response.Status}: {response.Body}");
        JsonElement errors = JsonDocument.Parse(response.Body).RootElement.GetProperty("errors");
        Assert.True(errors.GetArrayLength() > 0, response.Body);
        return errors.EnumerateArray().Select(e => e.GetString()!).ToArray();
    }
}
